"""Hypothesis strategies for specs (see :mod:`tests.properties.build`), one per area.

Every spec first draws a hostility level from 0 to 3: at 0 every value is one the README
documents as valid (so that many cases synthesize and go through cfn-lint), and each higher
level makes each value more likely to be hostile: NaN, infinities, huge or negative numbers,
bools where numbers go, strings where lists go, lists where strings go, control characters,
tokens, malformed names and URLs. Shrinking moves towards level 0 and the first choices.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

Spec = dict[str, Any]

NAN = float("nan")
INF = float("inf")
REGIONS = ("us-east-1", "eu-west-1", None)

# -- values that fit anywhere --------------------------------------------------------------

# The numbers that break float conversion or the jsii engine, drawn as often as all the others.
NON_FINITE_NUMBERS: tuple[Any, ...] = (NAN, INF, -INF, 10**400)
HOSTILE_NUMBERS: tuple[Any, ...] = (
    2**63,
    -(2**63),
    -1,
    0,
    -0.5,
    0.5,
    1e308,
    5e-324,
    True,
    False,
    "10",
    None,
    [1],
    {"n": 1},
)
HOSTILE_STRINGS: tuple[Any, ...] = (
    "",
    " ",
    "\x00",
    "a\nb",
    "\t",
    "é" * 3,
    "x" * 300,
    "a|b",
    "a/b",
    42,
    None,
    ["a"],
    {"a": "b"},
    NAN,
)
HOSTILE_FLAGS: tuple[Any, ...] = (1, 0, "yes", "true", None, NAN, [True])


def number_token() -> st.SearchStrategy[Spec]:
    return st.fixed_dictionaries(
        {
            "$": st.just("number_token"),
            "via": st.sampled_from(["lazy", "param", "as_number"]),
            "value": st.sampled_from([1, 5, 100, 1000]),
        }
    )


def string_token() -> st.SearchStrategy[Spec]:
    return st.fixed_dictionaries(
        {
            "$": st.just("string_token"),
            "via": st.sampled_from(["param", "import"]),
            "default": st.sampled_from(["value", "https://t.example.com"]),
        }
    )


def seconds(*amounts: float, unit: str = "seconds") -> st.SearchStrategy[Spec]:
    return st.sampled_from([{"$": "duration", "unit": unit, "amount": a} for a in amounts])


def duration_token() -> st.SearchStrategy[Spec]:
    return number_token().map(lambda token: {"$": "duration", "unit": "seconds", "amount": token})


def enum(kind: str, *names: str) -> st.SearchStrategy[Spec]:
    return st.sampled_from([{"$": "enum", "type": kind, "name": name} for name in names])


_HOSTILE_IN_20 = (0, 3, 7, 12)  # chances in 20 of a hostile value, by level


class Draw:
    """Draws a valid or a hostile value, hostile more often at higher levels."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.level = draw(st.integers(0, 3))

    def __call__(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.draw(strategy)

    def hostile(self) -> bool:
        """Whether the next value is to be hostile (never at level 0)."""
        return bool(self.level) and self.draw(st.integers(0, 19)) < _HOSTILE_IN_20[self.level]

    def pick(self, valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any]) -> Any:
        return self.draw(hostile if self.hostile() else valid)

    def swap(self, value: Any, hostile: st.SearchStrategy[Any]) -> Any:
        """``value`` (a whole option group), or rarely something else in its place, so that
        the values inside a group are reached more often than the group is replaced."""
        # Not 0: Hypothesis draws the smallest integer far more often than the others.
        if self.level and self.draw(st.integers(0, 9)) == 9:
            return self.draw(hostile)
        return value

    def maybe(self, into: dict[str, Any], name: str, valid: Any, hostile: Any) -> None:
        """Set ``into[name]`` (a valid or hostile value), or leave it out for its default."""
        if self.draw(st.booleans()):
            into[name] = self.pick(_strategy(valid), _strategy(hostile))


def _strategy(values: Any) -> st.SearchStrategy[Any]:
    if isinstance(values, st.SearchStrategy):
        return values
    return st.sampled_from(list(values))


def hostile_number(*extra: Any) -> st.SearchStrategy[Any]:
    return st.one_of(
        *non_finite_numbers(), st.sampled_from([*HOSTILE_NUMBERS, *extra]), number_token()
    )


def non_finite_numbers() -> list[st.SearchStrategy[Any]]:
    """One strategy per non-finite number: as branches of ``one_of`` each is drawn often."""
    return [st.just(number) for number in NON_FINITE_NUMBERS]


def hostile_string(*extra: Any) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from([*HOSTILE_STRINGS, *extra]), string_token())


# -- fixtures ------------------------------------------------------------------------------

FUNCTIONS: tuple[Spec, ...] = (
    {"$": "function", "id": "Fn0", "timeout": 3},
    {"$": "function", "id": "Fn1", "timeout": 28},
    {"$": "function", "id": "Fn2"},
    {"$": "function", "id": "Fn|Nested", "timeout": 5},
    {"$": "function", "id": "Nested", "parent": "Fn", "timeout": 5},
    {"$": "function", "id": "Fn3", "kind": "alias", "timeout": 5},
    {"$": "function", "id": "Fn4", "kind": "version", "timeout": 5},
    {"$": "function", "id": "Imported", "kind": "imported"},
    {"$": "function", "id": "Foreign", "kind": "foreign"},
    {"$": "function", "id": "Fn5", "stack": "other", "timeout": 5},
    {"$": "function", "id": "Other|Fn5", "timeout": 5},
)
SIMPLE_FUNCTION = FUNCTIONS[0]
ZONE = {"$": "zone", "name": "example.com"}
ZONES: tuple[Spec, ...] = (
    ZONE,
    {"$": "zone", "name": "example.org", "zone_id": "Z0987654321ZYXWVUTSRQ"},
    {"$": "zone", "name": "sub.example.com", "zone_id": "Z00000000000000000SUB"},
)
HOSTILE_ZONES: tuple[Any, ...] = (
    {"$": "zone", "by_id": "Z0123456789ABCDEFGHIJ"},
    {"$": "zone", "name": "Example.COM."},
    "Z0123456789ABCDEFGHIJ",
    "example.com",
)
MACHINES: tuple[Spec, ...] = (
    {"$": "machine", "id": "Standard", "type": "STANDARD"},
    {"$": "machine", "id": "Express", "type": "EXPRESS"},
    {"$": "machine", "id": "ImportedMachine", "type": "imported"},
)
QUEUES: tuple[Spec, ...] = (
    {"$": "queue", "id": "Queue"},
    {"$": "queue", "id": "Fifo", "fifo": True},
    {"$": "queue", "id": "Encrypted", "kms": True},
)
IMAGE = {"$": "image"}
VPCS: tuple[Spec, ...] = (
    {"$": "vpc", "id": "PublicVpc", "subnets": ["PUBLIC"]},
    {"$": "vpc", "id": "IsolatedVpc", "subnets": ["PUBLIC", "PRIVATE_ISOLATED"]},
    {"$": "vpc", "id": "NatVpc", "subnets": ["PUBLIC", "PRIVATE_WITH_EGRESS"]},
)
SUBNETS: tuple[Spec, ...] = tuple(
    {"$": "subnets", "type": kind} for kind in ("PUBLIC", "PRIVATE_ISOLATED", "PRIVATE_WITH_EGRESS")
)
PUBLIC: Spec = {"$": "PUBLIC"}


# -- routes --------------------------------------------------------------------------------

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "*")
HOSTILE_METHODS = ("get", "FETCH", "", "CONNECT", "Any", "GET,POST", "\x00")
SEGMENTS = ("a", "users", "v1", "items.json", "a-b", "a_b", "a:b", "{id}", "{name}")
HOSTILE_SEGMENTS = (
    ".",
    "..",
    "a|b",
    "a b",
    "\x00",
    "\n",
    "é",
    "a%20b",
    "{",
    "{a",
    "{a+}",
    "{}",
    "{+}",
    "*",
    "",
    "$default",
    "{id}",
    "x" * 300,
)


def route_path(d: Draw, hostile: bool = False) -> str:
    pool = (*SEGMENTS, *HOSTILE_SEGMENTS) if hostile else SEGMENTS
    segments = d(st.lists(st.sampled_from(pool), max_size=3, unique=not hostile))
    if d(st.booleans()):
        segments.append(d(st.sampled_from(["{proxy+}", "{rest+}"])))
    path = "/" + "/".join(segments)
    if hostile:
        path = d(st.sampled_from([path, path + "/", path.lstrip("/"), "/" + path]))
    return path


def route_key(d: Draw) -> Any:
    """A route key: ``METHOD /path`` or ``$default``; hostile ones are malformed."""
    if d.hostile():
        method = d(st.sampled_from((*METHODS, *HOSTILE_METHODS)))
        path = route_path(d, hostile=True)
        return d(
            st.sampled_from(
                [
                    f"{method} {path}",
                    f"{method}  {path}",
                    f"{method}\t{path}",
                    path,
                    f"$default {method}",
                    "$default ",
                    f"{method} {path} ",
                    42,
                    None,
                    [f"{method} {path}"],
                ]
            )
        )
    if d(st.integers(0, 7)) == 0:
        return "$default"
    return f"{d(st.sampled_from(METHODS))} {route_path(d)}"


def simple_routes(target: Any = SIMPLE_FUNCTION) -> list[Spec]:
    return [{"key": "GET /a", "target": target, "auth": PUBLIC}]


# -- gateway props -------------------------------------------------------------------------


@st.composite
def gateway_props(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    gateway: dict[str, Any] = {}
    d.maybe(gateway, "api_name", ["orders-api", "a", "x" * 128], hostile_string("x" * 129))
    d.maybe(gateway, "description", ["Orders", "", "x" * 1024], hostile_string("x" * 1025))
    d.maybe(gateway, "outputs", st.booleans(), HOSTILE_FLAGS)
    d.maybe(gateway, "ipv6", st.booleans(), HOSTILE_FLAGS)
    d.maybe(
        gateway,
        "identity_headers",
        [None, True, False, {"$": "IdentityHeaders", "claims": ["sub", "email"], "context": ["t"]}],
        [
            "sub",
            ["sub"],
            {"$": "IdentityHeaders", "claims": "sub"},
            {"$": "IdentityHeaders", "claims": ["cognito:groups"]},
            {"$": "IdentityHeaders", "context": [NAN]},
            {"$": "IdentityHeaders", "claims": ["a", "A"]},
        ],
    )
    d.maybe(gateway, "cors", [True, False, None], ["*", ["*"], 1, {"$": "DEFAULT_THROTTLE"}])
    d.maybe(gateway, "access_logs", [True, False, None], ["yes", 1, {"$": "Cors"}])
    d.maybe(
        gateway,
        "throttle",
        [None, {"$": "DEFAULT_THROTTLE"}, {"$": "Throttle", "rate_limit": 50, "burst_limit": 20}],
        [{"rate_limit": 1, "burst_limit": 1}, 100, "fast", {"$": "Cors"}],
    )
    d.maybe(gateway, "default_auth", [None, PUBLIC, {"$": "IamAuth"}], ["PUBLIC", True])
    d.maybe(gateway, "cdn", [None, False, True], ["yes", 1, {"$": "Cors"}])
    d.maybe(gateway, "origin_protection", [None, False], [True, {"$": "OriginProtection"}, "yes"])
    domains = [{"$": "CustomDomain", "domain_name": "api.example.com", "hosted_zone": ZONE}]
    d.maybe(gateway, "domains", [None, [], domains], ["api.example.com", domains[0], [None]])
    d.maybe(gateway, "disable_execute_api_endpoint", [None, False], [True, *HOSTILE_FLAGS])
    d.maybe(gateway, "detailed_metrics", st.booleans(), HOSTILE_FLAGS)
    d.maybe(gateway, "alarms", [None, False, True], ["yes", 1, {"$": "Cors"}, {}])
    return {"env": d(st.sampled_from(REGIONS)), "gateway": gateway, "routes": simple_routes()}


# -- CORS ----------------------------------------------------------------------------------

ORIGINS = (
    "https://app.example.com",
    "http://localhost:3000",
    "https://a.example.com:8443",
    "http://127.0.0.1:8080",
    "https://[2001:db8::1]",
    "https://xn--bcher-kva.example",
    "https://*.example.com",
)
# Subtle ones first (accepted by a lax check, yet never sent by a browser), then malformed ones:
# Hypothesis draws the first items of a pool more often.
HOSTILE_ORIGINS = (
    "https://App.example.com",
    "https://app.example.com:443",
    "https://*.example.com",
    "HTTPS://APP.EXAMPLE.COM",
    "https://bücher.example",
    "http://app.example.com:80",
    "https://app.example.com/",
    "*",
    "null",
    "https://*",
    "https://a.*.example.com",
    "https://*.*.example.com",
    "https://*.com",
    "*.example.com",
    "https://app.example.com/path",
    "https://app.example.com:0",
    "https://app.example.com:99999",
    "https://app.example.com:08080",
    "ftp://app.example.com",
    "app.example.com",
    "https://user@app.example.com",
    "https://app.example.com?x=1",
    "https://app.example.com#f",
    "https://" + "a" * 64 + ".example.com",
    "https://app .example.com",
    "https://app.example.com\n",
    "https://app\x00.example.com",
    "https://1.2.3.256",
    "https://[::1",
    "https://[fe80::1%25eth0]",
    "https://-a.example.com",
    "",
    " ",
)
HEADERS = ("Content-Type", "X-Api-Key", "x-ok", "Authorization", "X-Amz-Date")
HOSTILE_HEADERS = ("*", "Bad Header", "", "Ünï", "a:b", "x\n", 1, None)


def cors_config(d: Draw) -> Spec:
    cors: Spec = {"$": "Cors"}
    if d(st.integers(0, 3)) != 1:  # mostly given: origins are what CORS is about
        cors["allow_origins"] = d.pick(
            st.one_of(
                st.lists(st.sampled_from(ORIGINS), min_size=1, max_size=3, unique=True),
                st.just(["*"]),
            ),
            st.one_of(
                st.lists(st.sampled_from(HOSTILE_ORIGINS), min_size=1, max_size=2),
                st.lists(st.sampled_from((*ORIGINS, *HOSTILE_ORIGINS)), min_size=1, max_size=3),
                st.sampled_from(
                    ["https://app.example.com", [], [1], [["https://app.example.com"]]]
                ),
                st.lists(string_token(), min_size=1, max_size=2),
            ),
        )
    d.maybe(
        cors,
        "allow_methods",
        st.one_of(
            st.none(),
            st.lists(st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS"]), min_size=1),
        ),
        st.one_of(
            st.lists(st.sampled_from(["GET", "*", "get", "FETCH", "ANY", "", 1]), max_size=3),
            st.sampled_from(["GET", "*"]),
        ),
    )
    for name in ("allow_headers", "expose_headers"):
        d.maybe(
            cors,
            name,
            st.lists(st.sampled_from(HEADERS), max_size=3, unique=True),
            st.one_of(
                st.lists(st.sampled_from((*HEADERS, *HOSTILE_HEADERS)), max_size=3),
                st.sampled_from(["Content-Type", "*"]),
            ),
        )
    d.maybe(cors, "allow_credentials", st.booleans(), HOSTILE_FLAGS)
    d.maybe(
        cors,
        "max_age",
        seconds(0, 300, 86400),
        st.one_of(seconds(86401, 1.5, 0.25), seconds(1500, unit="millis"), duration_token()),
    )
    return cors


@st.composite
def cors_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    # cors=True is covered by the gateway props; here the rules themselves are drawn.
    cors = d.swap(cors_config(d), st.sampled_from([1, "*", {}]))
    keys = ["GET /a", "ANY /b/{proxy+}", "$default", "OPTIONS /c", "POST /a"]
    routes: list[Spec] = []
    for key in d(st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True)):
        route: Spec = {"key": key, "target": SIMPLE_FUNCTION, "auth": PUBLIC}
        if d.hostile():
            route["auth"] = d(st.sampled_from([{"$": "IamAuth"}, None]))
        if route["auth"] is None:
            del route["auth"]
        routes.append(route)
    gateway: Spec = {"cors": cors}
    if d.hostile():
        gateway["default_auth"] = {"$": "IamAuth"}
    return {"env": d(st.sampled_from(REGIONS)), "gateway": gateway, "routes": routes}


# -- throttle ------------------------------------------------------------------------------


def throttle(d: Draw) -> Any:
    rate = d.pick(st.sampled_from([1, 10.5, 1000, 0.001, 10000]), hostile_number())
    burst = d.pick(st.sampled_from([1, 20, 500, 5000, 2**31 - 1, 20.0]), hostile_number(2**31))
    valid: Any = {"$": "Throttle", "rate_limit": rate, "burst_limit": burst}
    return d.swap(valid, st.sampled_from([{"rate_limit": 1}, 100, "fast", None]))


@st.composite
def throttle_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    gateway: Spec = {}
    if d(st.booleans()):
        gateway["throttle"] = throttle(d)
    routes: list[Spec] = []
    for key in d(st.lists(st.sampled_from(["GET /a", "POST /b", "ANY /c"]), unique=True)):
        route: Spec = {"key": key, "target": SIMPLE_FUNCTION, "auth": PUBLIC}
        if d(st.booleans()):
            route["throttle"] = throttle(d)
        routes.append(route)
    return {"env": d(st.sampled_from(REGIONS)), "gateway": gateway, "routes": routes}


# -- access logs ---------------------------------------------------------------------------

RETENTIONS = (1, 3, 5, 7, 14, 30, 60, 90, 365, 3653)
LOG_GROUPS: tuple[Spec, ...] = (
    {"$": "log_group", "kind": "new"},
    {"$": "log_group", "kind": "imported"},
)
HOSTILE_LOG_GROUPS: tuple[Any, ...] = (
    {"$": "log_group", "kind": "imported", "region": "ap-south-1"},
    {"$": "log_group", "kind": "imported", "account": "210987654321"},
    "access-logs",
    "arn:aws:logs:us-east-1:123456789012:log-group:x",
)


@st.composite
def access_logs_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    logs: Spec = {"$": "AccessLogs"}
    d.maybe(logs, "format", enum("LogFormat", "JSON", "CLF", "XML", "CSV"), ["JSON", 1, None])
    if d(st.booleans()):
        d.maybe(logs, "log_group", st.sampled_from(LOG_GROUPS), HOSTILE_LOG_GROUPS)
    else:
        d.maybe(
            logs,
            "retention",
            st.one_of(st.sampled_from(RETENTIONS), enum("RetentionDays", "ONE_WEEK")),
            hostile_number(31, 0, 3654, "30", 30.0),
        )
        d.maybe(
            logs,
            "removal_policy",
            enum("RemovalPolicy", "RETAIN", "DESTROY"),
            ["RETAIN", 1, {"$": "enum", "type": "LogFormat", "name": "JSON"}],
        )
    access_logs = d.swap(
        d(st.sampled_from([logs, logs, True, False, None])),
        st.sampled_from(["yes", 1, {"$": "Cors"}]),
    )
    return {
        "env": d(st.sampled_from(REGIONS)),
        "gateway": {"access_logs": access_logs},
        "routes": simple_routes(),
    }


# -- custom domains ------------------------------------------------------------------------

DOMAIN_NAMES = (
    "api.example.com",
    "www.example.com",
    "example.com",
    "*.example.com",
    "a.b.example.com",
)
HOSTILE_DOMAIN_NAMES = (
    "API.example.com",
    "api.example.com.",
    "a" * 64 + ".example.com",
    "x" * 50 + ".sub.example.com",
    ".".join(["a" * 60] * 5) + ".example.com",
    "api.example.123",
    "https://api.example.com",
    "api..example.com",
    "-api.example.com",
    "*.*.example.com",
    "api.*.example.com",
    "api_x.example.com",
    "bücher.example.com",
    "api.example.org",
    "api.example.com/v1",
    "",
    42,
    None,
    ["api.example.com"],
)
BASE_PATHS = (None, "v1", "orders/v2", "a.b", "(ok)")
HOSTILE_BASE_PATHS = ("/v1", "v1/", "", "a b", "v1|x", "$default", "v1//x", "é", 1, ["v1"])
CERTIFICATES: tuple[Spec, ...] = ({"$": "certificate"},)
HOSTILE_CERTIFICATES: tuple[Any, ...] = (
    {"$": "certificate", "region": "ap-south-1"},
    {"$": "certificate", "region": "us-east-1"},
    "arn:aws:acm:us-east-1:123456789012:certificate/abc",
)


def custom_domain(d: Draw, names: tuple[str, ...] = DOMAIN_NAMES) -> Any:
    domain: Spec = {
        "$": "CustomDomain",
        "domain_name": d.pick(st.sampled_from(names), hostile_string(*HOSTILE_DOMAIN_NAMES)),
    }
    if d(st.integers(0, 4)) > 0:
        domain["hosted_zone"] = d.pick(st.just(ZONE), st.sampled_from(HOSTILE_ZONES))
    if "hosted_zone" not in domain or d(st.booleans()):
        domain["certificate"] = d.pick(
            st.sampled_from(CERTIFICATES), st.sampled_from(HOSTILE_CERTIFICATES)
        )
    d.maybe(domain, "base_path", BASE_PATHS, HOSTILE_BASE_PATHS)
    return d.swap(domain, st.sampled_from(["api.example.com", None]))


@st.composite
def domain_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    domains = [custom_domain(d) for _ in range(d(st.integers(1, 3)))]
    gateway: Spec = {"domains": d.swap(domains, st.sampled_from([domains[0], "api.example.com"]))}
    d.maybe(gateway, "disable_execute_api_endpoint", [None, True, False], HOSTILE_FLAGS)
    if d(st.integers(0, 3)) == 0:
        gateway["cdn"] = True
    return {"env": d(st.sampled_from(REGIONS)), "gateway": gateway, "routes": simple_routes()}


# -- CDN -----------------------------------------------------------------------------------

PATH_PATTERNS = ("/catalog/*", "catalog/*", "/a/*.json", "/products/?", "/api/v1/*")
HOSTILE_PATH_PATTERNS = ("*", "/*", "/", "", "/a b", "/ä", "/" + "a" * 300, "/x|y", "/x\n", 1)
CACHE_HEADERS = ("Accept-Language", "X-Custom", "CloudFront-Viewer-Country")
HOSTILE_CACHE_HEADERS = ("Host", "accept-encoding", "Bad Header", "*", "Connection", "")
WEB_ACLS = ("arn:aws:wafv2:us-east-1:123456789012:global/webacl/acl/0123-abcd",)
HOSTILE_WEB_ACLS = (
    "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/acl/0123-abcd",
    "arn:aws:waf::123456789012:webacl/0123",
    "acl",
    1,
)


def cache_rule(d: Draw) -> Any:
    rule: Spec = {
        "$": "CacheRule",
        "path_pattern": d.pick(
            st.sampled_from(PATH_PATTERNS), st.sampled_from(HOSTILE_PATH_PATTERNS)
        ),
        "ttl": d.pick(
            seconds(0, 60, 300, 86400), st.one_of(seconds(1.5, 400 * 86400), duration_token())
        ),
    }
    d.maybe(rule, "min_ttl", seconds(0), st.one_of(seconds(600, 0.5), st.just(60)))
    d.maybe(rule, "max_ttl", seconds(86400, 31536000), seconds(0, 30, 2.5))
    d.maybe(
        rule,
        "headers",
        st.lists(st.sampled_from(CACHE_HEADERS), max_size=3, unique=True),
        st.one_of(
            st.lists(st.sampled_from((*CACHE_HEADERS, *HOSTILE_CACHE_HEADERS)), max_size=8),
            st.just("Accept-Language"),
        ),
    )
    d.maybe(rule, "cookies", [[], ["session"], ["*"]], [["*", "x"], "session", [1], ["a b"]])
    d.maybe(rule, "query_strings", [None, [], ["q"], ["page", "size"]], [["a b"], "q", ["a&b"]])
    return rule


def cdn_config(d: Draw) -> Spec:
    cdn: Spec = {"$": "Cdn"}
    if d(st.integers(0, 2)) == 0:
        names = ("www.example.com", "cdn.example.com")
        cdn["domains"] = [custom_domain(d, names) for _ in range(d(st.integers(0, 2)))]
    if d(st.booleans()):
        rules = [cache_rule(d) for _ in range(d(st.integers(0, 3)))]
        cdn["cache"] = d.swap(rules, st.sampled_from(["/catalog/*", *rules[:1]]))
    d.maybe(cdn, "security_headers", [True, False, {"$": "headers_policy"}], HOSTILE_FLAGS)
    d.maybe(
        cdn,
        "access_logs",
        [True, False, {"$": "bucket"}],
        ["logs-bucket", {"$": "bucket", "kind": "imported"}, *HOSTILE_FLAGS],
    )
    d.maybe(cdn, "log_expiration", seconds(1, 90, unit="days"), st.one_of(seconds(0, 0.5)))
    if d(st.booleans()):
        waf = st.sampled_from(
            [False, True, *({"$": "Waf", "rate_limit": n} for n in (10, 2000, 2 * 10**9))]
        )
        hostile_waf = st.one_of(
            st.sampled_from(HOSTILE_FLAGS),
            hostile_number(9, 2 * 10**9 + 1).map(lambda limit: {"$": "Waf", "rate_limit": limit}),
        )
        d.maybe(cdn, "waf", waf, hostile_waf)
    else:
        d.maybe(cdn, "web_acl", WEB_ACLS, HOSTILE_WEB_ACLS)
    geo = [{"$": "geo", "codes": ["US", "DE"]}, {"$": "geo", "kind": "denylist"}]
    d.maybe(cdn, "geo_restriction", geo, ["US", ["US"], 1])
    d.maybe(
        cdn,
        "price_class",
        enum("PriceClass", "PRICE_CLASS_100", "PRICE_CLASS_ALL"),
        ["PRICE_CLASS_ALL", 100],
    )
    d.maybe(cdn, "invalidate_on_deploy", st.booleans(), HOSTILE_FLAGS)
    return cdn


@st.composite
def cdn_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    cdn = cdn_config(d)
    gateway: Spec = {"cdn": d.swap(cdn, st.sampled_from(["yes", 1, {"$": "Cors"}]))}
    if d(st.booleans()):
        gateway["domains"] = [
            {"$": "CustomDomain", "domain_name": "api.example.com", "hosted_zone": ZONE}
        ]
    if d(st.booleans()):
        gateway["cors"] = True
    protection: Spec = {"$": "OriginProtection"}
    d.maybe(
        protection,
        "header_name",
        ["x-origin-verify", "x-cdn-key", "a" * 64],
        ["Host", "X-Upper", "x-amz-key", "x-auth-claim-sub", "", "a" * 65, 1, ["x-a"], NAN],
    )
    d.maybe(
        protection,
        "cache_ttl",
        seconds(1, 300, 3600),
        st.one_of(seconds(0, 0.5, 3601), duration_token(), st.sampled_from([300, "5m"])),
    )
    d.maybe(protection, "rotation", [1, 2, 10_000], [0, -1, 1.5, NAN, INF, True, "2", None])
    d.maybe(
        gateway, "origin_protection", [None, True, False, protection], ["yes", 1, {"$": "Cors"}]
    )
    routes = simple_routes()
    if d(st.booleans()):
        routes.append({"key": "GET /iam", "target": SIMPLE_FUNCTION, "auth": {"$": "IamAuth"}})
    region = d(st.sampled_from([*REGIONS, "af-south-1"]))
    return {"env": region, "gateway": gateway, "routes": routes}


# -- auth ----------------------------------------------------------------------------------

ISSUERS = ("https://issuer.example.com/", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a")
HOSTILE_ISSUERS = ("http://issuer.example.com", "https://x?y=1", "https://x/ y", "issuer", "")
SCOPES = ("read", "orders:write", "https://api.example.com/admin", "openid")
HOSTILE_SCOPES = ("a b", "", '"q', "\\", "é")
SOURCES = ("$request.header.Authorization", "$request.querystring.token")
HOSTILE_SOURCES = ("$context.sourceIp", "Authorization", "", "$request.header.", "$request.body.x")
LAMBDA_SOURCES = (*SOURCES, "$request.header.X-Key", "$context.routeKey", "$stageVariables.v")
JWT_KINDS = ("JwtAuth", "CognitoAuth")


def scopes(d: Draw) -> Any:
    return d.pick(
        st.lists(st.sampled_from(SCOPES), max_size=2, unique=True),
        st.one_of(
            st.lists(st.sampled_from((*SCOPES, *HOSTILE_SCOPES, 1)), max_size=3),
            st.sampled_from(["read", ["read", "read"]]),
        ),
    )


def jwt_auth(d: Draw) -> Spec:
    auth: Spec = {
        "$": "JwtAuth",
        "issuer": d.pick(st.sampled_from(ISSUERS), hostile_string(*HOSTILE_ISSUERS)),
        "audience": d.pick(
            st.lists(st.sampled_from(["app", "https://api.example.com"]), min_size=1, max_size=2),
            st.sampled_from(["app", [], [""], ["app", 1], 1, [["app"]]]),
        ),
    }
    if d(st.booleans()):
        auth["scopes"] = scopes(d)
    d.maybe(auth, "identity_source", SOURCES, (*HOSTILE_SOURCES, ["$request.header.A"]))
    return auth


def lambda_auth(d: Draw) -> Spec:
    auth: Spec = {
        "$": "LambdaAuth",
        "function": d.pick(st.sampled_from(FUNCTIONS[:3]), st.sampled_from(["arn:aws:x", None])),
    }
    d.maybe(
        auth,
        "identity_sources",
        st.lists(st.sampled_from(LAMBDA_SOURCES), min_size=1, max_size=2, unique=True),
        [
            "$request.header.X-Key",
            [],
            ["$request.header.A", "$request.header.a"],
            ["bad"],
            [1],
            ["$context.sourceIp"],
        ],
    )
    sources = auth.get("identity_sources", SOURCES)
    if any(isinstance(s, str) and s.startswith("$request.") for s in sources):
        d.maybe(
            auth,
            "cache_ttl",
            seconds(0, 300, 3600),
            st.one_of(
                seconds(3601, 1.5), seconds(1500, unit="millis"), duration_token(), st.just(300)
            ),
        )
    d.maybe(auth, "simple_responses", st.booleans(), HOSTILE_FLAGS)
    return auth


def cognito_auth(d: Draw) -> Spec:
    client = {"$": "pool_client", "id": "Client"}
    auth: Spec = {
        "$": "CognitoAuth",
        "user_pool": d.pick(st.just({"$": "user_pool", "id": "Pool"}), st.just("eu-west-1_x")),
        "clients": d.pick(st.just([client]), st.sampled_from([[], client, ["client-id"], None])),
    }
    if d(st.booleans()):
        auth["scopes"] = scopes(d)
    d.maybe(auth, "identity_source", SOURCES, HOSTILE_SOURCES)
    return auth


def any_auth(d: Draw) -> Any:
    kind = d(st.sampled_from(["IamAuth", "none", "Public", *JWT_KINDS, "LambdaAuth"]))
    if kind == "Public":
        public = st.sampled_from([PUBLIC, {"$": "Public", "reason": "the health check is public"}])
        hostile = hostile_string("short").map(lambda reason: {"$": "Public", "reason": reason})
        return d.pick(public, hostile)
    makers = {"JwtAuth": jwt_auth, "CognitoAuth": cognito_auth, "LambdaAuth": lambda_auth}
    if kind in makers:
        return makers[kind](d)
    return {"$": "IamAuth"} if kind == "IamAuth" else None


def _kind(auth: object) -> object:
    return auth.get("$") if isinstance(auth, dict) else None


@st.composite
def auth_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    gateway: Spec = {}
    default_auth = any_auth(d)
    if default_auth is not None:
        gateway["default_auth"] = default_auth
    cors = d(st.integers(0, 3)) == 0
    if cors:
        gateway["cors"] = True
    routes: list[Spec] = []
    keys = ["GET /a", "POST /b/{id}", "ANY /c/{proxy+}", "OPTIONS /d", "$default", "PUT /e"]
    for key in d(st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True)):
        route: Spec = {"key": key, "target": d(st.sampled_from(FUNCTIONS[:3]))}
        auth = any_auth(d)
        if key.startswith("OPTIONS") and cors and not d.hostile():
            auth = PUBLIC
        if auth is not None:
            route["auth"] = auth
        effective = default_auth if auth is None else auth
        if d(st.integers(0, 2)) == 0 and (_kind(effective) in JWT_KINDS or d.hostile()):
            route["scopes"] = scopes(d)
        routes.append(route)
    if d(st.integers(0, 4)) == 0:  # near and past API Gateway's quota of 10 authorizers
        for index in range(d(st.integers(8, 11))):
            auth = {"$": "JwtAuth", "issuer": ISSUERS[0], "audience": [f"app{index}"]}
            routes.append({"key": f"GET /many/{index}", "target": FUNCTIONS[0], "auth": auth})
    return {"env": d(st.sampled_from(REGIONS)), "gateway": gateway, "routes": routes}


# -- Lambda targets and route keys ---------------------------------------------------------


def lambda_target(d: Draw) -> Any:
    function = d(st.sampled_from(FUNCTIONS))
    return d.pick(
        st.sampled_from([function, function, {"$": "LambdaFunction", "function": function}]),
        st.sampled_from(
            [42, None, ["x"], "arn:aws:lambda:us-east-1:123456789012:function:f", {"$": "Cors"}]
        ),
    )


@st.composite
def lambda_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    keys = [route_key(d) for _ in range(d(st.integers(1, 6)))]
    if not d.level:  # one route per key, so that valid specs synthesize
        keys = list({str(key).replace("* ", "ANY ", 1): key for key in keys}.values())
    routes = [{"key": key, "target": lambda_target(d), "auth": PUBLIC} for key in keys]
    gateway: Spec = {}
    if d(st.integers(0, 3)) == 0:
        gateway["cors"] = True
    return {"env": d(st.sampled_from(REGIONS)), "gateway": gateway, "routes": routes}


# -- URL targets ---------------------------------------------------------------------------

URLS = (
    "https://a.example.com",
    "https://a.example.com/x",
    "https://a.example.com/x/y",
    "https://a.example.com/x|y",
    "https://a.example.com/x%7Cy",
    "https://a.example.com:8443/p",
    "https://a.example.com/{proxy}",
    "https://a.example.com/items/{id}",
    "https://b.example.com/x?q=1",
)
HOSTILE_URLS = (
    "http://a.example.com",
    "https://a.example.com/ x",
    "https://user@a.example.com",
    "https://a.example.com/#f",
    "https://",
    "ftp://a.example.com",
    "a.example.com",
    "https://a.example.com/{nope}",
    "https://a.example.com/\x00",
    "https://a.example.com:0/p",
    "https://a.example.com:99999/p",
    "https://" + "a" * 64 + ".example.com",
    "https://a..example.com",
    "",
)
URL_NAMES = (None, "backend", "legacy", "https:||a.example.com|x|y", "x|y", "Url|legacy")
HOSTILE_URL_NAMES = ("a/b", "", 42, ["n"])
URL_ROUTES = {
    "GET /a": URLS[:6],
    "ANY /b/{proxy+}": URLS[:7],
    "GET /items/{id}": (*URLS[:6], URLS[7]),
    "POST /c": (*URLS[:6], URLS[8]),
    "$default": URLS[:6],
}


def url_target(d: Draw, urls: tuple[str, ...]) -> Any:
    url = d.pick(
        st.sampled_from(urls), st.one_of(st.sampled_from((*URLS, *HOSTILE_URLS)), string_token())
    )
    if d(st.booleans()) and isinstance(url, str):
        return url
    target: Spec = {"$": "HttpUrl", "url": url}
    name = d.pick(st.sampled_from(URL_NAMES), st.sampled_from(HOSTILE_URL_NAMES))
    if name is not None or (isinstance(url, dict) and not d.hostile()):
        target["name"] = name or "token"
    return target


@st.composite
def url_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    keys = d(st.lists(st.sampled_from(sorted(URL_ROUTES)), min_size=1, max_size=5, unique=True))
    routes = [
        {"key": key, "target": url_target(d, URL_ROUTES[key]), "auth": PUBLIC} for key in keys
    ]
    return {"env": d(st.sampled_from(REGIONS)), "gateway": {}, "routes": routes}


# -- AWS service targets -------------------------------------------------------------------

REQUEST_VALUES = (
    "$request.body",
    "$request.body.order",
    "$request.header.x-id",
    "$request.querystring.q",
    "$context.requestId",
    "constant",
)
HOSTILE_REQUEST_VALUES = (
    "",
    "$bad",
    "$request.path.id",
    "$request.path.nope",
    "$request.header.",
    "${request.body}",
    "$request.body\n",
    1,
    None,
    ["$request.body"],
)


def request_value(d: Draw, *valid: str) -> Any:
    return d.pick(
        st.sampled_from(valid or REQUEST_VALUES),
        st.one_of(st.sampled_from(HOSTILE_REQUEST_VALUES), string_token()),
    )


def _step_functions_target(d: Draw, kind: str) -> Spec:
    machines = MACHINES if kind == "StartExecution" else MACHINES[::2]
    machine = d.pick(st.sampled_from(machines), st.sampled_from(["arn:aws:states:x", None]))
    target: Spec = {"$": kind, "state_machine": machine}
    if kind == "StartExecution":
        if d(st.booleans()):
            target["input"] = request_value(d, "$request.body", "$request.body.order")
        if d(st.booleans()):
            target["name"] = request_value(d, "$request.header.x-id", "$context.requestId")
        if machine == MACHINES[1] or d.hostile():
            target["sync"] = d.pick(st.booleans(), st.sampled_from(HOSTILE_FLAGS))
        return target
    if d(st.booleans()):
        target["execution_arn"] = request_value(d, "$request.body.arn", "$request.header.x-arn")
    if d(st.booleans()):
        target["cause"] = request_value(d, "stopped", "$request.header.x-why")
    return target


def _queue_target(d: Draw) -> Spec:
    queue = d.pick(st.sampled_from(QUEUES), st.just("https://sqs.example.com/q"))
    target: Spec = {"$": "SendMessage", "queue": queue}
    if d(st.booleans()):
        target["body"] = request_value(d, "$request.body", "$request.body.order", "constant")
    fifo = queue == QUEUES[1]
    if fifo or d.hostile():
        target["message_group_id"] = request_value(d, "$request.header.x-id", "orders")
    if (fifo and d(st.booleans())) or d.hostile():
        target["deduplication_id"] = request_value(d, "$request.header.x-id", "$context.requestId")
    d.maybe(
        target,
        "attributes",
        [{}, {"a": "$request.header.x-id"}, {"b": "constant"}],
        [
            {"aws.x": "v"},
            {"a..b": "v"},
            {f"a{i}": "v" for i in range(11)},
            {"a": 1},
            "a",
            {"": "v"},
            {"a b": "v"},
        ],
    )
    d.maybe(target, "delay_seconds", ["5", "$request.header.delay"], [5, "-1", "", NAN])
    return target


# Sources and detail types with '|', so that two different pairs can read alike when joined.
EVENT_SOURCES = ("com.example.orders", "com.example", "com.example|orders")
DETAIL_TYPES = ("OrderPlaced", "orders|OrderPlaced")


def _event_target(d: Draw) -> Spec:
    target: Spec = {
        "$": "PutEvent",
        "source": d.pick(st.sampled_from(EVENT_SOURCES), hostile_string("aws.x")),
        "detail_type": d.pick(st.sampled_from(DETAIL_TYPES), hostile_string("$x")),
    }
    if d(st.booleans()):
        target["detail"] = request_value(d, "$request.body", "$request.body.order")
    d.maybe(target, "event_bus", [None, {"$": "bus", "id": "Bus"}], ["default", 1])
    return target


def service_target(d: Draw) -> Spec:
    kind = d(st.sampled_from(["StartExecution", "StopExecution", "SendMessage", "PutEvent"]))
    if kind == "SendMessage":
        return _queue_target(d)
    if kind == "PutEvent":
        return _event_target(d)
    return _step_functions_target(d, kind)


@st.composite
def service_target_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    targets = [service_target(d) for _ in range(d(st.integers(1, 3)))]
    keys = ["POST /a", "POST /b", "POST /d/{id}", "ANY /e", "$default", "PUT /f"]
    if d.hostile():
        keys += ["GET /c", "HEAD /g"]
    routes = [
        {"key": key, "target": d(st.sampled_from(targets)), "auth": {"$": "IamAuth"}}
        for key in d(st.lists(st.sampled_from(keys), min_size=1, max_size=5, unique=True))
    ]
    return {"env": d(st.sampled_from(REGIONS)), "gateway": {}, "routes": routes}


# -- containers ----------------------------------------------------------------------------

ENVIRONMENTS: tuple[Any, ...] = ({}, {"A": "1"}, {"LOG_LEVEL": "debug", "EMPTY": ""})
HOSTILE_ENVIRONMENTS: tuple[Any, ...] = (
    {"A": 1},
    {"A": NAN},
    {"A": INF},
    {"A": None},
    {"A": ["x"]},
    {"A": True},
    "A=1",
    [["A", "1"]],
    {"": "x"},
    {"A B": "x"},
)
COMMANDS: tuple[Any, ...] = (None, ["nginx", "-g", "daemon off;"], ["sh", "-c", "echo hi"])
HOSTILE_COMMANDS: tuple[Any, ...] = ("echo hi", [1], [], ["echo", NAN], [["a"]], "")
HEALTH_RETRIES: tuple[Any, ...] = (-1, 0, 2**63, True, 0.5)


def container(d: Draw, name: str, port: int | None) -> Spec:
    spec: Spec = {
        "$": "Container",
        "name": d.pick(st.just(name), hostile_string("a" * 256, "bad name", "web")),
        "image": d.pick(st.just(IMAGE), st.sampled_from(["nginx", None])),
    }
    if port is not None:
        spec["port"] = d.pick(st.just(port), hostile_number(65536, 80.0, "80", 10**400))
    d.maybe(spec, "environment", ENVIRONMENTS, HOSTILE_ENVIRONMENTS)
    d.maybe(spec, "secrets", [{}], [{"A": "arn:aws:secretsmanager:x"}, "x"])
    d.maybe(spec, "command", COMMANDS, HOSTILE_COMMANDS)
    health = {"$": "health_check", "retries": 3, "interval": 10}
    hostile_health = st.one_of(
        *non_finite_numbers(), st.sampled_from(HEALTH_RETRIES), number_token()
    ).map(lambda retries: {"$": "health_check", "retries": retries})
    d.maybe(spec, "health_check", [health, None], st.one_of(hostile_health, st.just("curl")))
    d.maybe(spec, "essential", [True], [False, *HOSTILE_FLAGS])
    return spec


def fargate_options(d: Draw, options: Spec) -> None:
    cpu, memory = d(st.sampled_from([(256, 512), (512, 1024), (1024, 4096), (256, 2048)]))
    if d(st.booleans()):
        options["cpu"] = d.pick(st.just(cpu), hostile_number(300, 256.0, "256"))
        options["memory"] = d.pick(st.just(memory), hostile_number(3000, 512.0, 4096))
    d.maybe(options, "architecture", enum("CpuArchitecture", "ARM64", "X86_64"), ["ARM64", 1])
    d.maybe(
        options,
        "log_retention",
        enum("RetentionDays", "ONE_WEEK", "ONE_MONTH"),
        [30, "ONE_WEEK", NAN, {"$": "enum", "type": "LogFormat", "name": "JSON"}],
    )
    if d(st.integers(0, 2)) == 0:
        vpc = d(st.sampled_from(VPCS))
        options["vpc"] = d.pick(st.just(vpc), st.sampled_from(["vpc-123", {"$": "Cors"}]))
        d.maybe(options, "task_subnets", st.sampled_from(SUBNETS[:1]), [*SUBNETS, "subnet-1"])
        d.maybe(
            options,
            "cluster",
            [{"$": "cluster", "vpc": vpc}],
            [*({"$": "cluster", "vpc": other} for other in VPCS), "cluster"],
        )


@st.composite
def container_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    port = d(st.sampled_from([80, 8080]))
    containers = [container(d, "web", port)]
    if d(st.booleans()):
        containers.append(container(d, "sidecar", d(st.sampled_from([None, 9000]))))
    options: Spec = {"containers": d.swap(containers, st.just(containers[0]))}
    fargate_options(d, options)
    d.maybe(options, "desired_count", [0, 1, 2], hostile_number(1.5, 1.0))
    d.maybe(options, "port", [port], hostile_number(81, "80"))
    d.maybe(options, "container_insights", st.booleans(), HOSTILE_FLAGS)
    if "vpc" in options:
        d.maybe(options, "link_subnets", st.sampled_from(SUBNETS[:1]), [*SUBNETS, "subnet-1"])
    target: Any = {"$": "service", "id": "S0"}
    if d(st.integers(0, 3)) == 0:
        target = {"$": "service", "id": "S0", "port": d.pick(st.just(port), hostile_number(81))}
    keys = d(st.lists(st.sampled_from(["ANY /{proxy+}", "GET /a", "$default"]), min_size=1))
    routes = [{"key": key, "target": target, "auth": PUBLIC} for key in dict.fromkeys(keys)]
    return {
        "env": d(st.sampled_from(REGIONS)),
        "services": {"S0": options},
        "gateway": {},
        "routes": routes,
    }


# -- batch jobs ----------------------------------------------------------------------------

JOB_TARGETS: tuple[Spec, ...] = (
    {"$": "job", "id": "J0"},
    {"$": "job", "id": "J0", "as": "start"},
    {"$": "job", "id": "J0", "as": "start", "name": "$request.header.idempotency-key"},
    {"$": "job", "id": "J0", "as": "stop"},
    {"$": "job", "id": "J0", "as": "stop", "execution_arn": "$request.body.arn"},
)


@st.composite
def job_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    job_container = container(d, "job", None)
    if d.hostile():
        job_container["port"] = 8080
    options: Spec = {"container": d.swap(job_container, st.sampled_from(["job", None]))}
    fargate_options(d, options)
    d.maybe(
        options,
        "timeout",
        st.one_of(seconds(60, 3600), seconds(30, unit="minutes"), seconds(365, unit="days")),
        st.one_of(seconds(59, 61.5, 0), seconds(366, unit="days"), duration_token(), st.just(60)),
    )
    d.maybe(options, "retries", [0, 2, 10], hostile_number(11, 2.0))
    keys = ["POST /jobs", "POST /jobs/stop", "POST /jobs/again", "ANY /jobs/any"]
    if d.hostile():
        keys.append("GET /jobs")
    routes = [
        {"key": key, "target": d(st.sampled_from(JOB_TARGETS)), "auth": {"$": "IamAuth"}}
        for key in d(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True))
    ]
    return {
        "env": d(st.sampled_from(REGIONS)),
        "jobs": {"J0": options},
        "gateway": {},
        "routes": routes,
    }


# -- alarms --------------------------------------------------------------------------------

TOPICS: tuple[Spec, ...] = ({"$": "topic", "kind": "new"}, {"$": "topic", "kind": "imported"})
HOSTILE_TOPICS: tuple[Any, ...] = (
    {"$": "topic", "kind": "imported", "region": "ap-south-1"},
    "arn:aws:sns:us-east-1:123456789012:alarms",
    [{"$": "topic", "kind": "new"}],
    {"$": "Cors"},
)
ALARM_TARGETS: tuple[Spec, ...] = (
    FUNCTIONS[0],
    FUNCTIONS[5],
    FUNCTIONS[7],
    {"$": "StartExecution", "state_machine": MACHINES[0]},
    {"$": "StartExecution", "state_machine": MACHINES[2]},
    {"$": "HttpUrl", "url": URLS[0]},
)


def alarm_settings(d: Draw) -> Spec:
    """An ``Alarms(...)``: each threshold valid, None (no such alarm) or hostile."""
    alarms: Spec = {"$": "Alarms"}
    percent = st.sampled_from([0, 0.5, 1, 25, 99.9, None])
    for name in ("server_error_rate", "client_error_rate", "cdn_server_error_rate"):
        d.maybe(alarms, name, percent, hostile_number(100, 100.5, "5"))
    for name in ("cpu_utilization", "memory_utilization"):
        d.maybe(alarms, name, st.sampled_from([1, 80, 99.5, None]), hostile_number(100, "80"))
    for name in ("latency_ms", "integration_latency_ms"):
        d.maybe(
            alarms, name, st.sampled_from([1, 2500, 30000, None]), hostile_number(30001, "3000")
        )
    for name in ("function_errors", "function_throttles", "job_failures"):
        d.maybe(alarms, name, st.sampled_from([1, 5, 100, None]), hostile_number(1.5, 10**10))
    d.maybe(alarms, "min_requests", [0, 10, 1000], hostile_number(1.5, 10**10))
    d.maybe(alarms, "running_tasks", st.booleans(), HOSTILE_FLAGS)
    d.maybe(
        alarms,
        "period",
        st.one_of(seconds(60, 300), seconds(1, 60, unit="minutes"), seconds(1, unit="days")),
        st.one_of(seconds(30, 90, 0), seconds(2, unit="days"), duration_token(), st.just(300)),
    )
    d.maybe(alarms, "evaluation_periods", [1, 3, 5], hostile_number(289, 2.5))
    d.maybe(alarms, "datapoints_to_alarm", [None, 1], hostile_number(6, 2.5))
    notify = d(st.integers(0, 3))
    if notify == 1:
        alarms["topic"] = d.pick(st.sampled_from(TOPICS), st.sampled_from(HOSTILE_TOPICS))
    elif notify == 2:
        action = {"$": "sns_action", "topic": TOPICS[0]}
        alarms["actions"] = d.pick(
            st.sampled_from([[], [action]]),
            st.sampled_from([action, [TOPICS[0]], "arn:aws:sns:x", [None]]),
        )
    elif notify == 3 and d.hostile():
        alarms["topic"] = TOPICS[0]
        alarms["actions"] = [{"$": "sns_action", "topic": TOPICS[0]}]
    d.maybe(alarms, "dashboard", st.booleans(), HOSTILE_FLAGS)
    return alarms


@st.composite
def alarms_specs(draw: st.DrawFn) -> Spec:
    d = Draw(draw)
    alarms = d.swap(alarm_settings(d), st.sampled_from([True, "yes", 1, {"$": "Cors"}]))
    gateway: Spec = {"alarms": alarms, "default_auth": {"$": "IamAuth"}}
    d.maybe(gateway, "detailed_metrics", st.booleans(), HOSTILE_FLAGS)
    if d(st.integers(0, 3)) == 0:
        gateway["cdn"] = True
    keys = ["POST /a", "POST /b", "ANY /c", "$default"]
    routes = [
        {"key": key, "target": d(st.sampled_from(ALARM_TARGETS))}
        for key in d(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True))
    ]
    return {"env": d(st.sampled_from(REGIONS)), "gateway": gateway, "routes": routes}


AREAS: dict[str, st.SearchStrategy[Spec]] = {
    "gateway": gateway_props(),
    "cors": cors_specs(),
    "throttle": throttle_specs(),
    "access_logs": access_logs_specs(),
    "domains": domain_specs(),
    "cdn": cdn_specs(),
    "auth": auth_specs(),
    "lambda_targets": lambda_specs(),
    "url_targets": url_specs(),
    "service_targets": service_target_specs(),
    "containers": container_specs(),
    "batch_jobs": job_specs(),
    "alarms": alarms_specs(),
}
"""Each area's strategy, by the name its outcomes are counted under."""
