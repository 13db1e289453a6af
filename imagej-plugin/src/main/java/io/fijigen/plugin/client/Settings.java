package io.fijigen.plugin.client;

import ij.Prefs;

/**
 * The engine connection in ImageJ's preferences (IJ_Prefs.txt, written when ImageJ quits): what
 * "Server Settings..." edits and every command connects with. The token is kept there in plain
 * text, as readable as the user's other files; on a shared account, set it per session instead.
 */
public final class Settings {
    static final String HOST = "fijigen.host";
    static final String PORT = "fijigen.port";
    static final String TOKEN = "fijigen.token";
    static final String TLS = "fijigen.tls";
    static final String TIMEOUT = "fijigen.timeout";

    private Settings() {}

    /** The saved connection; an engine on this machine at the default port when nothing is saved. */
    public static Connection load() {
        return new Connection(
                Prefs.get(HOST, "127.0.0.1"),
                (int) Prefs.get(PORT, Connection.DEFAULT_PORT),
                Prefs.get(TOKEN, ""),
                Prefs.get(TLS, false),
                (int) Prefs.get(TIMEOUT, 0));
    }

    /** Whether a server was ever saved: a user of a remote engine before the plugin could start its own. */
    public static boolean serverSaved() {
        return Prefs.get(HOST, null) != null;
    }

    public static void save(Connection connection) {
        Prefs.set(HOST, connection.host());
        Prefs.set(PORT, connection.port());
        Prefs.set(TOKEN, connection.token() == null ? "" : connection.token());
        Prefs.set(TLS, connection.tls());
        Prefs.set(TIMEOUT, connection.timeoutSeconds());
    }
}
