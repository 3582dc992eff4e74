package io.tailsrv.filewatch.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which watches each inotify watch descriptor serves. The kernel keeps one
 * descriptor per inode, so watches of one file, or watches waiting in one
 * directory, share it; it may be removed only when the last of them leaves.
 * Directory descriptors are indexed by the name awaited in them, so that a
 * creation in a directory where 1000 watches wait concerns only the watches
 * waiting for that name. Not thread-safe: used under the engine's lock.
 */
final class WatchTable {

    private final Map<Integer, Map<String, Set<WatchEntry>>> directories = new HashMap<>();
    private final Map<Integer, Set<WatchEntry>> files = new HashMap<>();

    void await(int wd, String name, WatchEntry entry) {
        directories.computeIfAbsent(wd, k -> new HashMap<>())
                .computeIfAbsent(name, k -> new LinkedHashSet<>())
                .add(entry);
    }

    /** @return true if {@code wd} now serves no watch */
    boolean stopAwaiting(int wd, String name, WatchEntry entry) {
        Map<String, Set<WatchEntry>> names = directories.get(wd);
        Set<WatchEntry> entries = names.get(name);
        entries.remove(entry);
        if (entries.isEmpty()) {
            names.remove(name);
        }
        if (names.isEmpty()) {
            directories.remove(wd);
            return true;
        }
        return false;
    }

    void follow(int wd, WatchEntry entry) {
        files.computeIfAbsent(wd, k -> new LinkedHashSet<>()).add(entry);
    }

    /** @return true if {@code wd} now serves no watch */
    boolean stopFollowing(int wd, WatchEntry entry) {
        Set<WatchEntry> entries = files.get(wd);
        entries.remove(entry);
        if (entries.isEmpty()) {
            files.remove(wd);
            return true;
        }
        return false;
    }

    /** The watches waiting for {@code name} to appear in directory {@code wd}. */
    List<WatchEntry> awaiting(int wd, String name) {
        Map<String, Set<WatchEntry>> names = directories.get(wd);
        Set<WatchEntry> entries = names == null ? null : names.get(name);
        return entries == null ? List.of() : new ArrayList<>(entries);
    }

    /** Every watch waiting in directory {@code wd}. */
    List<WatchEntry> awaitingIn(int wd) {
        List<WatchEntry> all = new ArrayList<>();
        directories.getOrDefault(wd, Map.of()).values().forEach(all::addAll);
        return all;
    }

    /** The watches following the file {@code wd}. */
    List<WatchEntry> following(int wd) {
        return new ArrayList<>(files.getOrDefault(wd, Set.of()));
    }

    List<WatchEntry> allAwaiting() {
        List<WatchEntry> all = new ArrayList<>();
        directories.values().forEach(names -> names.values().forEach(all::addAll));
        return all;
    }

    List<WatchEntry> allFollowing() {
        List<WatchEntry> all = new ArrayList<>();
        files.values().forEach(all::addAll);
        return all;
    }

    /** The kernel dropped {@code wd} (IN_IGNORED): forgets it, returning the watches it served. */
    List<WatchEntry> forget(int wd) {
        List<WatchEntry> served = awaitingIn(wd);
        served.addAll(following(wd));
        directories.remove(wd);
        files.remove(wd);
        return served;
    }
}
