"""docs/SCALING.md and docs/DEPLOY.md describe the deployment files instead of repeating them; this
fails when the two drift: a path the docs name that does not exist, a manifest the docs do not
name, YAML back in the docs, or an image, port, probe, Secret key or command quoted differently."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from deploy_files import ROOT, dockerfile, exec_form, option

SCALING = (ROOT / "docs" / "SCALING.md").read_text(encoding="utf-8")
DEPLOY = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
KUBERNETES = ROOT / "deploy" / "kubernetes"
BASE = KUBERNETES / "base"
OVERLAY = KUBERNETES / "overlays" / "example"
# A path into the repository's deployment files, as the docs write them.
PATH = re.compile(r"(?<![\w/.-])((?:deploy|docs)/[\w./-]*[\w/]|Dockerfile)(?![\w-])")


def load(path: Path) -> list[dict[str, object]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def manifest(name: str) -> dict[str, object]:
    (doc,) = load(BASE / name)
    return doc


@pytest.mark.parametrize("doc", ["SCALING.md", "DEPLOY.md"])
def test_every_path_the_docs_name_exists(doc: str) -> None:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    named = set(PATH.findall(text))
    assert named, "the docs point at the files"
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, f"docs/{doc} names files that do not exist: {missing}"


def test_scaling_names_every_kubernetes_file() -> None:
    files = sorted(p.relative_to(ROOT).as_posix() for p in KUBERNETES.rglob("*.yaml"))
    assert len(files) >= 12
    for path in files:
        spelled = (path, path.replace(f"{OVERLAY.relative_to(ROOT).as_posix()}/", ""))
        assert any(s in SCALING for s in spelled), f"docs/SCALING.md does not mention {path}"


def test_deploy_names_every_single_server_file() -> None:
    for path in sorted((ROOT / "deploy" / "single-server").iterdir()):
        assert path.name in DEPLOY, f"docs/DEPLOY.md does not mention {path.name}"


def test_the_docs_carry_no_manifests() -> None:
    for text in (SCALING, DEPLOY):
        assert not re.search(r"^```ya?ml", text, re.MULTILINE)
        assert "apiVersion:" not in text


def test_the_image_port_and_probes_quoted_match_the_files() -> None:
    (kustomization,) = load(OVERLAY / "kustomization.yaml")
    (image,) = kustomization["images"]  # type: ignore[misc]
    reference = f"{image['newName']}:{image['newTag']}"
    assert f"`{reference}`" in SCALING
    assert reference in DEPLOY
    deployment = manifest("deployment.yaml")
    (app,) = deployment["spec"]["template"]["spec"]["containers"]  # type: ignore[index]
    assert f"port {app['ports'][0]['containerPort']}" in SCALING
    cmd = exec_form([i.value for i in dockerfile() if i.keyword == "CMD"][-1])
    assert option(cmd, "--server.port") == str(app["ports"][0]["containerPort"])
    assert f"Readiness\n  on `{app['readinessProbe']['httpGet']['path']}`" in SCALING
    assert f"liveness on `{app['livenessProbe']['httpGet']['path']}`" in SCALING


def test_the_secret_command_creates_the_keys_the_pods_read() -> None:
    (secret,) = load(KUBERNETES / "secret.template.yaml")
    block = SCALING[SCALING.index("kubectl create secret generic") :]
    block = block[: block.index("```")]
    keys = set(re.findall(r"--from-literal=([\w-]+)=", block))
    assert keys == set(secret["stringData"])  # type: ignore[arg-type]
    assert f"generic {secret['metadata']['name']} " in block  # type: ignore[index]


def test_the_migrate_steps_name_the_job_and_its_label() -> None:
    (job,) = load(BASE / "migrate-job.yaml")
    name = job["metadata"]["name"]  # type: ignore[index]
    label = (
        "app.kubernetes.io/component=" + job["metadata"]["labels"]["app.kubernetes.io/component"]
    )  # type: ignore[index]
    assert f"delete job {name}" in DEPLOY and f"job/{name}" in DEPLOY
    assert f"-l {label}" in DEPLOY


def test_the_runbooks_commands_use_the_units_paths() -> None:
    units = ROOT / "deploy" / "single-server"
    for line in (units / "screening-backup.service").read_text().splitlines():
        if line.startswith("ExecStart="):
            argv = shlex.split(line.removeprefix("ExecStart="))
            assert f"--to {option(argv, '--to')}" in line
            assert option(argv, "--to") in DEPLOY  # where the runbook says backups are
    assert (
        "/opt/screening" in DEPLOY
        and "WorkingDirectory=/opt/screening" in (units / "screening.service").read_text()
    )
