package dev.usersapi.policy;

/**
 * One broken rule, printed as one line: {@code file: object: field: message [rule]}.
 *
 * @param file   the kustomization (or YAML file) the object came from, relative to the repository root
 * @param object {@code Kind namespace/name}, or {@code -} when the finding is about the whole file
 * @param field  the offending field as a path, e.g. {@code spec.template.spec.containers[users-api].image}
 */
public record Finding(String file, String object, String field, Rule rule, String message) {

    @Override
    public String toString() {
        return file + ": " + object + ": " + field + ": " + message + " [" + rule.id() + "]";
    }
}
