package dev.usersapi.policy;

import dev.usersapi.policy.schema.BuiltinKinds;
import dev.usersapi.policy.schema.CustomResourceSchemas;

/** Whether a kind's objects live in a namespace, from the built-in table or the CRD. */
final class Scopes {

    private Scopes() {}

    static boolean namespaced(KubeObject o, CustomResourceSchemas crds) {
        return BuiltinKinds.get()
                .lookup(o.apiVersion(), o.kind())
                .map(BuiltinKinds.Kind::namespaced)
                .or(() -> crds.lookup(o.apiVersion(), o.kind()).map(CustomResourceSchemas.Schema::namespaced))
                .orElse(true); // an unknown kind is already a schema finding; counting it keeps its namespace checked
    }
}
