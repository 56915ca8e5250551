package dev.usersapi.policy;

import java.util.List;

/** One rule applied to one render; {@code all} holds every render of the run, for rules that look across them. */
public interface Check {

    Rule rule();

    void check(Render render, List<Render> all, Findings findings);
}
