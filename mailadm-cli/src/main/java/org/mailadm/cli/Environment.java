package org.mailadm.cli;

import java.util.Map;
import java.util.Optional;

/** The process environment, injected so tests can give their own. */
public record Environment(Map<String, String> variables) {
    public Environment {
        variables = Map.copyOf(variables);
    }

    /** A variable's value, empty when unset or blank. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }
}
