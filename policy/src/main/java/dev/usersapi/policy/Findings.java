package dev.usersapi.policy;

import java.util.List;

/** Collects the findings of one rule over one file. */
public final class Findings {

    private final String file;
    private final Rule rule;
    private final List<Finding> sink;

    public Findings(String file, Rule rule, List<Finding> sink) {
        this.file = file;
        this.rule = rule;
        this.sink = sink;
    }

    public void add(KubeObject object, String field, String message) {
        sink.add(new Finding(
                file, object == null ? "-" : object.id(), field.isEmpty() ? "(object)" : field, rule, message));
    }
}
