/**
 * The Fiji/ImageJ client of the fijigen engine.
 *
 * <ul>
 *   <li>{@code client}: the gRPC client ({@link io.fijigen.plugin.client.EngineClient}) and its
 *       connection settings; errors as readable {@link io.fijigen.plugin.client.EngineException}s.
 *   <li>{@code ui}: images between ImageJ and the engine's PNGs.
 *   <li>{@code layers}: results as named, undoable {@link ij.gui.ImageRoi} overlay layers.
 *   <li>{@link io.fijigen.plugin.GenerateAction}: the UI-free core of "Generate..."; menu commands
 *       (dialogs, {@code plugins.config}) come in a later increment.
 * </ul>
 */
package io.fijigen.plugin;
