package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule 3 in detail: each control of the restricted profile, broken once in the valid fixture's Deployment. */
class PodSecurityCheckTest {

    private static final String POD = "spec.template.spec";
    private static final String CONTAINER = POD + ".containers.0";

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            spec.template.spec.hostPID                                   | true                  | spec.template.spec.hostPID: must not be true
            spec.template.spec.hostIPC                                   | true                  | spec.template.spec.hostIPC: must not be true
            spec.template.spec.volumes.0                                 | {"name": "tmp", "hostPath": {"path": "/"}} | spec.template.spec.volumes[tmp].hostPath: volume type hostPath is not allowed
            spec.template.spec.securityContext.runAsNonRoot              | false                 | spec.template.spec.securityContext.runAsNonRoot: must be true
            spec.template.spec.securityContext.seccompProfile.type       | "Unconfined"          | spec.template.spec.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost, not Unconfined
            spec.template.spec.securityContext.sysctls                   | [{"name": "kernel.msgmax", "value": "1"}] | spec.template.spec.securityContext.sysctls[kernel.msgmax]: sysctl is not in the safe set
            spec.template.spec.securityContext.seLinuxOptions            | {"user": "root"}      | spec.template.spec.securityContext.seLinuxOptions.user: must not be set
            spec.template.spec.containers.0.securityContext.privileged   | true                  | spec.template.spec.containers[app].securityContext.privileged: must not be true
            spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation | true      | spec.template.spec.containers[app].securityContext.allowPrivilegeEscalation: must be set to false
            spec.template.spec.containers.0.securityContext.capabilities.drop | ["NET_RAW"]      | spec.template.spec.containers[app].securityContext.capabilities.drop: must include ALL
            spec.template.spec.containers.0.securityContext.runAsNonRoot | false                 | spec.template.spec.containers[app].securityContext.runAsNonRoot: must be true
            spec.template.spec.containers.0.securityContext.procMount    | "Unmasked"            | spec.template.spec.containers[app].securityContext.procMount: must be Default
            spec.template.spec.containers.0.securityContext.appArmorProfile | {"type": "Unconfined"} | spec.template.spec.containers[app].securityContext.appArmorProfile.type: must be RuntimeDefault or Localhost
            spec.template.spec.containers.0.ports.0.hostPort             | 80                    | spec.template.spec.containers[app].ports[http].hostPort: host ports are not allowed
            spec.template.spec.initContainers                            | [{"name": "init", "image": "busybox:1.36"}] | spec.template.spec.initContainers[init].securityContext.allowPrivilegeEscalation: must be set to false
            """)
    void breakingOneControlFailsIt(String path, String json, String expected) {
        List<KubeObject> objects = ValidFixture.objects();
        ValidFixture.set(ValidFixture.object(objects, "Deployment"), path, json);

        List<Finding> findings = new ArrayList<>();
        new PodSecurityCheck()
                .check(ValidFixture.render(objects), List.of(), new Findings("fixture", Rule.POD_SECURITY, findings));

        assertThat(findings)
                .map(Finding::toString)
                .anySatisfy(line -> assertThat(line).startsWith("fixture: Deployment fixture/app: " + expected));
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource({
        POD + ".securityContext.runAsNonRoot, spec.template.spec.securityContext.runAsNonRoot: must be true",
        POD
                + ".securityContext.seccompProfile, spec.template.spec.securityContext.seccompProfile.type: must be RuntimeDefault",
        CONTAINER
                + ".securityContext.allowPrivilegeEscalation, spec.template.spec.containers[app].securityContext.allowPrivilegeEscalation: must be set to false",
        CONTAINER
                + ".securityContext.capabilities, spec.template.spec.containers[app].securityContext.capabilities.drop: must include ALL"
    })
    void leavingOutARequiredSettingFailsIt(String path, String expected) {
        List<KubeObject> objects = ValidFixture.objects();
        ValidFixture.remove(ValidFixture.object(objects, "Deployment"), path);

        List<Finding> findings = new ArrayList<>();
        new PodSecurityCheck()
                .check(ValidFixture.render(objects), List.of(), new Findings("fixture", Rule.POD_SECURITY, findings));

        assertThat(findings)
                .map(Finding::toString)
                .anySatisfy(line -> assertThat(line).startsWith("fixture: Deployment fixture/app: " + expected));
    }
}
