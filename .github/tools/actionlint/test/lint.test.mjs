// Each rule of lint-workflows.mjs bites on a fixture (testdata/), and the real workflows pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { lint, workflowFiles } from "../lint-workflows.mjs";

const testdata = join(dirname(fileURLToPath(import.meta.url)), "..", "testdata");
const messages = async (file) => (await lint(join(testdata, file))).map((f) => `${f.line}: ${f.message} [${f.kind}]`);

test("a pinned workflow with least-privilege permissions passes", async () => {
  assert.deepEqual(await messages("good.yml"), []);
});

test("an action by tag, a SHA without its release and a docker image by tag are findings", async () => {
  const found = await messages("unpinned.yml");
  assert.ok(found.some((m) => m.startsWith('10: "actions/checkout@v6" must be pinned by a full commit SHA')), found.join("\n"));
  assert.ok(found.some((m) => m.startsWith('11: "aquasecurity/trivy-action@de0fac2e4500dabe0009e67214ff5f5447ce83dd" needs its release in a comment')), found.join("\n"));
  assert.ok(found.some((m) => m.startsWith('12: "docker://alpine:3.20" must be pinned by digest')), found.join("\n"));
});

test("write-all by default and a job without permissions are findings", async () => {
  const found = await messages("permissions.yml");
  assert.ok(found.includes("3: top-level permissions must be `{}`; grant per job instead [permissions]"), found.join("\n"));
  assert.ok(found.includes('5: job "build" must state its permissions (least privilege) [permissions]'), found.join("\n"));
});

test("actionlint itself runs: an untrusted expression in a script is a finding", async () => {
  const found = await messages("injection.yml");
  assert.ok(found.some((m) => /potentially untrusted/.test(m) && m.endsWith("[expression]")), found.join("\n"));
});

test("the repository has workflows and every one passes", async () => {
  const files = workflowFiles();
  assert.ok(files.some((f) => f.endsWith("ci.yml")) && files.some((f) => f.endsWith("e2e.yml")), files.join(", "));
  for (const file of files) {
    assert.deepEqual((await lint(file)).map((f) => `${file}:${f.line}: ${f.message}`), []);
  }
});
