/**
 * The Fiji/ImageJ client of the fijigen engine.
 *
 * <ul>
 *   <li>this package: the UI-free actions behind the commands ({@link io.fijigen.plugin.GenerateAction},
 *       {@link io.fijigen.plugin.InpaintAction}, {@link io.fijigen.plugin.ControlNetAction},
 *       {@link io.fijigen.plugin.UpscaleAction}): options record → request → engine → layer or image;
 *       the same over the planes of an image ({@link io.fijigen.plugin.PlanesRun}) and the images of a
 *       folder ({@link io.fijigen.plugin.FolderRun}). The session's {@link io.fijigen.plugin.JobsModel}:
 *       jobs running and recently ended.
 *   <li>{@code client}: the gRPC client ({@link io.fijigen.plugin.client.EngineClient}) and its
 *       connection settings; errors as readable {@link io.fijigen.plugin.client.EngineException}s.
 *   <li>{@code ui}: images between ImageJ and the engine's PNGs: RGB as shown, grey ones through a
 *       recorded {@link io.fijigen.plugin.ui.Normalisation} and back into their own type
 *       ({@link io.fijigen.plugin.ui.SourceImage}).
 *   <li>{@code layers}: results as named, undoable {@link ij.gui.ImageRoi} overlay layers (grey ones
 *       as {@link io.fijigen.plugin.layers.GreyLayer}s); apply, remove, live previews.
 *   <li>{@code ij1}: the menu commands ({@code plugins.config}): dialogs, progress, Esc, the Jobs
 *       window, messages.
 *   <li>{@code scijava}: the same commands as SciJava {@code Command}s, for scripts.
 * </ul>
 */
package io.fijigen.plugin;
