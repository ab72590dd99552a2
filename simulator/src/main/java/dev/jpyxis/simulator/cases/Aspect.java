package dev.jpyxis.simulator.cases;

/** What the comparison of a case looks at, one aspect at a time. */
public enum Aspect {
    /** No scenario plays the case: the simulator does not model what it checks. */
    NOT_SIMULATED("scenario"),
    /** The exit status of srun, salloc or the batch job. */
    EXIT("exit"),
    /** How many containers each node started. */
    STARTS("starts"),
    /** How many leftover containers of dead steps each node removed. */
    LEFTOVERS_REMOVED("leftovers removed"),
    /** The containers each node gained or lost during the case. */
    CONTAINERS("containers"),
    /** The {@code pyxis:} lines on srun's stderr, normalised. */
    PYXIS_MESSAGES("pyxis messages");

    private final String words;

    Aspect(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
