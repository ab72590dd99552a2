package dev.jpyxis.adapters.enroot.archfixture;

import dev.jpyxis.domain.port.in.EpilogRequest;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.in.RunJobEpilog;

/** Deliberately bad: an adapter running a use case of its own instead of calling the domain's service. */
public class AdapterImplementingAnInPort implements RunJobEpilog {
    @Override
    public HookOutcome run(EpilogRequest request) {
        return HookOutcome.nothing();
    }
}
