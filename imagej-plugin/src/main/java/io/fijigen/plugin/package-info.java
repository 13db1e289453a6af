/**
 * The Fiji/ImageJ client of the fijigen engine: menu commands, layers, the gRPC client. It arrives
 * with the plugin issue; the module exists so the build and the shaded jar are in place.
 */
package io.fijigen.plugin;
