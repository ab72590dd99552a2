package dev.jpyxis.domain.internal.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Explores every order in which the events of a node-step can happen (task arrivals, reports, optionally one lost
 * task) by replaying each prefix on a fresh world, and checks a property on each complete schedule.
 */
final class Schedules {

    private Schedules() {
    }

    /** @return how many complete schedules were checked */
    static int forEach(Supplier<TaskShimDouble> freshWorld, boolean withLoss, Consumer<TaskShimDouble> check) {
        return explore(freshWorld, withLoss, new ArrayList<>(), check);
    }

    private static int explore(Supplier<TaskShimDouble> freshWorld, boolean withLoss, List<String> prefix,
            Consumer<TaskShimDouble> check) {
        TaskShimDouble world = freshWorld.get();
        prefix.forEach(world::perform);
        List<String> enabled = world.enabled(withLoss);
        if (enabled.isEmpty()) {
            try {
                check.accept(world);
            } catch (AssertionError failed) {
                throw new AssertionError("schedule " + world.events + ": " + failed.getMessage(), failed);
            }
            return 1;
        }
        int schedules = 0;
        for (String event : enabled) {
            prefix.add(event);
            schedules += explore(freshWorld, withLoss, prefix, check);
            prefix.remove(prefix.size() - 1);
        }
        return schedules;
    }
}
