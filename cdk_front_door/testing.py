"""Helpers for your own template tests: stable, hash-masked templates for snapshots.

Asset hashes change with the operating system, the Python and Node.js versions and every code
edit, and CDK adds bootstrap and metadata entries that say nothing about your infrastructure.
:func:`normalized_template` removes that noise, so that a snapshot changes only when the
infrastructure does::

    from aws_cdk import App
    from cdk_front_door.testing import TEST_ENV, normalized_template, snapshot_context

    def test_my_stack_matches_snapshot(snapshot):
        app = App(context=snapshot_context())
        stack = MyStack(app, "MyStack", env=TEST_ENV)
        assert normalized_template(stack) == snapshot
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from aws_cdk import Environment, Stack, Stage
from aws_cdk.assertions import Template

if TYPE_CHECKING:
    from .local.aws_calls import AwsCalls

TEST_ENV = Environment(account="123456789012", region="us-east-1")
"""A fixed account and region, so that templates do not depend on the machine's settings."""

ASSET_HASH_PLACEHOLDER = "<asset-hash>"
_ASSET_HASH = re.compile(r"[0-9a-f]{64}")
_CURRENT_VERSION_SUFFIX = re.compile(r"(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}")
_METADATA_KEYS = ("aws:cdk:path", "aws:asset:path", "aws:asset:is-bundled", "aws:asset:property")


def snapshot_context(**extra: Any) -> dict[str, Any]:
    """App context for snapshot tests: no asset bundling, no CDK version metadata.

    :param extra: more context entries, which win over these.
    """
    context: dict[str, Any] = {
        "aws:cdk:bundling-stacks": [],
        "aws:cdk:version-reporting": False,
        "@aws-cdk/core:enableAdditionalMetadataCollection": False,
    }
    context.update(extra)
    return context


def normalized_template(stack: Stack) -> dict[str, Any]:
    """The stack's template with asset hashes masked and CDK bookkeeping removed.

    * every 64-hex-digit asset hash becomes ``<asset-hash>`` (in values and logical ids);
    * the hash suffix of Lambda ``CurrentVersion`` logical ids becomes ``<hash>``;
    * the ``CDKMetadata`` resource and condition, the ``BootstrapVersion`` parameter and the
      ``CheckBootstrapVersion`` rule are removed;
    * resource ``Metadata`` entries about CDK paths and assets are removed.
    """
    template: dict[str, Any] = dict(Template.from_stack(stack).to_json())
    resources: dict[str, Any] = template.get("Resources", {})
    resources.pop("CDKMetadata", None)
    for resource in resources.values():
        metadata = resource.get("Metadata")
        if isinstance(metadata, dict):
            for key in _METADATA_KEYS:
                metadata.pop(key, None)
            if not metadata:
                del resource["Metadata"]
    for section, name in (
        ("Parameters", "BootstrapVersion"),
        ("Rules", "CheckBootstrapVersion"),
        ("Conditions", "CDKMetadataAvailable"),
    ):
        entries = template.get(section)
        if isinstance(entries, dict):
            entries.pop(name, None)
            if not entries:
                del template[section]
    text = json.dumps(template, sort_keys=True)
    text = _ASSET_HASH.sub(ASSET_HASH_PLACEHOLDER, text)
    text = _CURRENT_VERSION_SUFFIX.sub(r"\1<hash>", text)
    normalized: dict[str, Any] = json.loads(text)
    return normalized


class LocalResponse:
    """A response of :meth:`LocalFrontDoor.request`."""

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case); None when it is not sent."""
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ", ".join(values) if values else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class LocalFrontDoor:
    """An HTTP API of a stack (or of a cloud assembly folder) served on a free loopback port
    for the duration of a ``with`` block, as API Gateway would serve it::

        with LocalFrontDoor(stack) as api:
            assert api.request("GET", "/hello").status == 200
            token = api.token(scopes=["orders:write"])
            api.request("POST", "/orders", headers={"authorization": f"Bearer {token}"})
            api.clock.advance(3600)  # tokens expire, throttle buckets refill

    JWT authorizers trust a key made for the test (never the issuer's own keys, never any
    key at all when none is given): :meth:`token` mints tokens with it. Needs the ``local``
    extra.

    :param source: a ``Stack`` (its app is synthesized) or a cloud assembly folder.
    :param api: the name of the API to serve when there are several. Default: - the only one
    :param access_log: where access log lines go. Default: - nowhere
    :param services: the local URL of each service private integrations reach (a container
        service), by the logical id of its Cloud Map service. Default: - none: such routes
        answer 503
    :param iam_credentials: secret access keys by access key id, for requests to IAM routes
        signed with SigV4 (botocore signs them). Default: - none: IAM routes answer 403
    :param aws_calls: how AWS service integrations are called for real
        (``cdk_front_door.local.aws_calls.AwsCalls``: the real value of each stand-in, and the
        boto3 clients, which a test may stub with ``botocore.stub.Stubber``). Default: - none:
        such routes answer 501 with the call they would make
    """

    def __init__(
        self,
        source: Stack | str | Path,
        *,
        api: str | None = None,
        access_log: IO[str] | None = None,
        services: Mapping[str, str] | None = None,
        iam_credentials: Mapping[str, str] | None = None,
        aws_calls: AwsCalls | None = None,
    ) -> None:
        from .local.server import Clock  # noqa: PLC0415 - the local extra is optional

        self._source = source
        self._api_name = api
        self._access_log = access_log
        self._services = dict(services or {})
        self._iam_credentials = dict(iam_credentials or {})
        self._aws_calls = aws_calls
        self.clock = Clock()
        """The time the API goes by; :meth:`cdk_front_door.local.Clock.advance` moves it."""
        self._serving: Any = None
        self._dev: Any = None

    def __enter__(self) -> LocalFrontDoor:
        from .local.assembly import JwtAuthorizer, load_apis  # noqa: PLC0415 - optional extra
        from .local.jwt_auth import DevIssuer, KeyRing  # noqa: PLC0415
        from .local.server import FrontDoorApp, Serving  # noqa: PLC0415

        if isinstance(self._source, Stack):
            folder = Path(Stage.of(self._source).synth().directory)  # type: ignore[union-attr]
        else:
            folder = Path(self._source)
        apis = load_apis(folder)
        chosen = [a for a in apis if self._api_name in (None, a.name, a.logical_id)]
        if len(chosen) != 1:
            names = [a.name for a in apis]
            raise ValueError(f"choose one API with api=...: the assembly has {names}")
        local_api = chosen[0]
        jwt = [a for r in local_api.routes if isinstance(a := r.authorizer, JwtAuthorizer)]
        issuers = sorted({a.issuer for a in jwt})
        self._dev = DevIssuer(issuers, clock=self.clock)
        self._audiences = {a.issuer: a.audience for a in jwt}
        app = FrontDoorApp(
            local_api,
            keys=KeyRing(self._dev, remote=False),
            clock=self.clock,
            access_log=self._access_log,
            services=self._services,
            iam_credentials=self._iam_credentials,
            aws_calls=self._aws_calls,
        )
        self._serving = Serving(app)
        return self

    def __exit__(self, *_: object) -> None:
        if self._serving is not None:
            self._serving.close()
            self._serving = None

    @property
    def url(self) -> str:
        """The API's local URL, ending with ``/``."""
        return str(self._serving.url)

    def token(
        self,
        *,
        issuer: str | None = None,
        audience: str | None = None,
        scopes: Sequence[str] = (),
        expires_in: float = 3600,
        **claims: Any,
    ) -> str:
        """A development token the API's JWT authorizers accept: of ``issuer`` (default: the
        only one), for ``audience`` (default: the authorizer's first), with ``scopes``."""
        issuers = list(self._audiences)
        if issuer is None:
            if len(issuers) != 1:
                raise ValueError(f"choose an issuer: the API's JWT authorizers have {issuers}")
            issuer = issuers[0]
        if audience is None and self._audiences.get(issuer):
            audience = self._audiences[issuer][0]
        return str(
            self._dev.token(
                issuer, audience=audience, scopes=scopes, expires_in=expires_in, **claims
            )
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
        json_body: Any = None,
    ) -> LocalResponse:
        """Send one request to the API and return its response."""
        import http.client  # noqa: PLC0415 - only tests that serve an API need it

        sent = dict(headers or {})
        data = body.encode() if isinstance(body, str) else body
        if json_body is not None:
            data = json.dumps(json_body).encode()
            sent.setdefault("content-type", "application/json")
        connection = http.client.HTTPConnection("127.0.0.1", self._serving.port, timeout=60)
        try:
            connection.request(method, path, data, sent)
            answer = connection.getresponse()
            return LocalResponse(answer.status, answer.getheaders(), answer.read())
        finally:
            connection.close()
