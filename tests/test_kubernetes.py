"""deploy/kubernetes, rendered by `kubectl kustomize` (Debian's kubernetes-client; .ci/run installs
it) and validated against the Kubernetes API schemas that kubernetes-validate ships, strictly
(an unknown or misspelt field fails). Then what the schemas cannot know: the pieces fit each other,
the image and the app (probes, port, user, secrets, the migrate command)."""

from __future__ import annotations

import copy
import subprocess
import sys
from functools import cache
from typing import Any

import kubernetes_validate
import pytest
import yaml
from deploy_files import ROOT, dockerfile, exec_form, option, tool

from screening.records.storage import ENV_URL

KUSTOMIZATIONS = {
    "base": ROOT / "deploy" / "kubernetes" / "base",
    "example": ROOT / "deploy" / "kubernetes" / "overlays" / "example",
}
SECRET_TEMPLATE = ROOT / "deploy" / "kubernetes" / "secret.template.yaml"
# The oldest Kubernetes release the manifests are for (policy/v1, autoscaling/v2 and the
# kubernetes.io/metadata.name namespace label are all older) and the newest the package knows.
KUBERNETES_RELEASES = ("1.30.0", "1.37.0")
KINDS = [
    "Deployment",
    "HorizontalPodAutoscaler",
    "Ingress",
    "Ingress",
    "Job",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "Service",
]
INSTRUCTIONS = dockerfile()


@cache
def render(name: str) -> tuple[dict[str, Any], ...]:
    kubectl = tool("kubectl", "apt-get install kubernetes-client")
    done = subprocess.run(
        [kubectl, "kustomize", str(KUSTOMIZATIONS[name])], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return tuple(d for d in yaml.safe_load_all(done.stdout) if d)


def one(docs: tuple[dict[str, Any], ...], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind and name in (None, d["metadata"]["name"])]
    assert len(found) == 1, (kind, name, len(found))
    return found[0]


def pod(docs: tuple[dict[str, Any], ...], kind: str) -> dict[str, Any]:
    spec: dict[str, Any] = one(docs, kind)["spec"]["template"]
    return spec


@pytest.fixture(params=sorted(KUSTOMIZATIONS))
def docs(request: pytest.FixtureRequest) -> tuple[dict[str, Any], ...]:
    return render(request.param)


# --- the schemas -----------------------------------------------------------------------------


@pytest.mark.parametrize("release", KUBERNETES_RELEASES)
def test_every_manifest_is_valid_for_kubernetes(
    docs: tuple[dict[str, Any], ...], release: str
) -> None:
    assert sorted(d["kind"] for d in docs) == KINDS
    secret = yaml.safe_load(SECRET_TEMPLATE.read_text(encoding="utf-8"))
    for doc in (*docs, secret):
        # A missing schema raises too: nothing is let through unchecked.
        kubernetes_validate.validate(doc, release, strict=True)


def test_the_schemas_reject_a_misspelt_field() -> None:
    deployment = copy.deepcopy(one(render("example"), "Deployment"))
    probe = deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    probe["httpGet"]["prot"] = probe["httpGet"].pop("port")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_RELEASES[-1], strict=True)


# --- the pieces fit the image and the app ------------------------------------------------------


def test_the_pods_run_the_images_own_command_on_its_port(docs: tuple[dict[str, Any], ...]) -> None:
    (app,) = pod(docs, "Deployment")["spec"]["containers"]
    assert "command" not in app and "args" not in app  # the Dockerfile's CMD: make run's command
    cmd = exec_form([i.value for i in INSTRUCTIONS if i.keyword == "CMD"][-1])
    assert app["ports"] == [{"name": "http", "containerPort": int(option(cmd, "--server.port"))}]


def test_readiness_asks_ready_and_liveness_asks_health(docs: tuple[dict[str, Any], ...]) -> None:
    (app,) = pod(docs, "Deployment")["spec"]["containers"]
    assert app["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert app["livenessProbe"]["httpGet"] == {"path": "/_stcore/health", "port": "http"}


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_pods_run_as_the_images_user_with_a_read_only_root(
    docs: tuple[dict[str, Any], ...], kind: str
) -> None:
    spec = pod(docs, kind)["spec"]
    user = [i.value for i in INSTRUCTIONS if i.keyword == "USER"][-1].split(":")[0]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == int(user)
    assert spec["automountServiceAccountToken"] is False
    tmp = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
    for container in spec["containers"]:
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        # HOME=/tmp in the image: the one writable place is an emptyDir.
        assert {m["mountPath"]: m["name"] in tmp for m in container["volumeMounts"]} == {
            "/tmp": True
        }


def test_the_migrate_job_runs_the_migrate_command_of_the_same_image(
    docs: tuple[dict[str, Any], ...],
) -> None:
    (job,) = pod(docs, "Job")["spec"]["containers"]
    (app,) = pod(docs, "Deployment")["spec"]["containers"]
    assert job["image"] == app["image"]
    assert job["command"] == ["python", "-m", "screening", "migrate"]
    done = subprocess.run(
        [sys.executable, *job["command"][1:], "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0 and "usage: python -m screening migrate" in done.stdout, done


def test_the_migrate_label_picks_the_job_alone(docs: tuple[dict[str, Any], ...]) -> None:
    # docs/DEPLOY.md applies the Job first with `kubectl apply -l app.kubernetes.io/component=...`
    picked = [
        d["kind"]
        for d in docs
        if d["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "migrate"
    ]
    assert picked == ["Job"]


def test_the_overlay_sets_the_image_in_every_pod() -> None:
    images = {
        c["image"]
        for kind in ("Deployment", "Job")
        for c in pod(render("example"), kind)["spec"]["containers"]
    }
    assert images == {"registry.example.org/screening:1.0.0"}


def secret_refs(docs: tuple[dict[str, Any], ...]) -> dict[str, str]:
    """Environment variable -> Secret key, over every container."""
    refs = {}
    for kind in ("Deployment", "Job"):
        for container in pod(docs, kind)["spec"]["containers"]:
            for env in container.get("env", []):
                ref = env["valueFrom"]["secretKeyRef"]
                assert ref["name"] == "screening"
                refs[env["name"]] = ref["key"]
    return refs


def test_the_secret_template_has_every_key_the_pods_read_and_no_values(
    docs: tuple[dict[str, Any], ...],
) -> None:
    from web.staff.access import ENV_HASH

    secret = yaml.safe_load(SECRET_TEMPLATE.read_text(encoding="utf-8"))
    refs = secret_refs(docs)
    # The names the app and Streamlit read (Streamlit maps server.cookieSecret to this one).
    assert set(refs) == {ENV_URL, ENV_HASH, "STREAMLIT_SERVER_COOKIE_SECRET"}
    assert set(refs.values()) == set(secret["stringData"])
    assert all(value == "" for value in secret["stringData"].values())
    assert "data" not in secret


def test_selectors_reach_the_web_pods_and_only_those(docs: tuple[dict[str, Any], ...]) -> None:
    web = pod(docs, "Deployment")["metadata"]["labels"]
    job = pod(docs, "Job")["metadata"]["labels"]

    def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
        return all(labels.get(k) == v for k, v in selector.items())

    for selector in (
        one(docs, "Deployment")["spec"]["selector"]["matchLabels"],
        one(docs, "Service")["spec"]["selector"],
        one(docs, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"],
    ):
        assert selects(selector, web) and not selects(selector, job), selector
    policy = one(docs, "NetworkPolicy")["spec"]["podSelector"]["matchLabels"]
    assert selects(policy, web) and selects(policy, job)  # the Job reaches PostgreSQL too
    target = one(docs, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]
    deployment = one(docs, "Deployment")["metadata"]["name"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment)


def test_the_autoscaler_adds_replicas_on_cpu_and_removes_them_slowly(
    docs: tuple[dict[str, Any], ...],
) -> None:
    hpa = one(docs, "HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["minReplicas"] >= 2  # a drain or a crash never leaves nobody serving
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 600
    assert "replicas" not in one(docs, "Deployment")["spec"]  # the autoscaler owns the count


def test_the_ingress_keeps_people_on_their_pod_and_hides_streamlits_internals(
    docs: tuple[dict[str, Any], ...],
) -> None:
    service = one(docs, "Service")
    port_names = {p["name"] for p in service["spec"]["ports"]}
    public = one(docs, "Ingress", "screening")
    notes = public["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert notes[prefix + "affinity-mode"] == "persistent"
    assert notes[prefix + "session-cookie-secure"] == "true"
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[prefix + timeout]) >= 3600  # the WebSocket stays open while people read
    internal = one(docs, "Ingress", "screening-internal")
    assert internal["metadata"]["annotations"][prefix + "denylist-source-range"] == "0.0.0.0/0,::/0"
    hidden = {p["path"] for r in internal["spec"]["rules"] for p in r["http"]["paths"]}
    assert hidden == {"/_stcore/metrics", "/_stcore/agent", "/_stcore/upload_file"}
    hosts = [{r["host"] for r in i["spec"]["rules"]} for i in (public, internal)]
    assert hosts[0] == hosts[1] == set(public["spec"]["tls"][0]["hosts"])
    for ingress in (public, internal):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] == service["metadata"]["name"]
                assert backend["port"]["name"] in port_names
