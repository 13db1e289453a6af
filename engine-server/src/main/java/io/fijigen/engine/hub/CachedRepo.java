package io.fijigen.engine.hub;

import java.util.List;
import java.util.Map;

/**
 * A repo found in a hub cache.
 *
 * @param refs branch or tag → the commit it pointed at when last downloaded
 * @param snapshots the commits that have a snapshot folder
 */
public record CachedRepo(String repo, Map<String, String> refs, List<String> snapshots) {}
