"""The front door a construct is reached through: the nine attributes every construct that
serves traffic exposes, their stack outputs, and how targets learn which gateways route to them.

A gateway is its own front door. A target construct (a container service, a batch job) is
reached through the gateways that route to it: the gateway tells the target of each route it
adds (:meth:`cdk_front_door.targets.RouteTarget.routed`), and the target records it in its
:class:`Reach`. Data flows one way: the gateway never reads the target's record.

The rules, the same for every construct:

* not configured: a single value is None, a list is empty (a target no gateway routes to has
  no value at all);
* a target routed from several gateways, or a job started by several routes, has no single
  value: reading one of its attributes fails, naming them (``front_doors`` has each);
* an attribute read before a route that would change it is added makes that ``add_route``
  fail, naming the attribute: a value read once never silently changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import CfnOutput, Stack
from constructs import Construct, IConstruct

from ._jsii import node_path
from .errors import FrontDoorValidationError
from .targets import FrontDoor, construct_key, id_part

ATTRIBUTES = (
    "domain",
    "url",
    "custom_domains",
    "custom_domain_urls",
    "custom_domain_url",
    "cdn_domain",
    "cdn_url",
    "cdn_custom_domains",
    "cdn_custom_domain_urls",
)
"""The attributes of every construct that serves traffic, in the order of the attribute table
in docs/gateway.md."""


class FrontDoorAttributes:
    """The nine attributes, read from the front door ``_front_door_of`` gives (a mixin
    of constructs, whose jsii metaclass rules out ``abc.ABC``)."""

    def _front_door_of(self, attribute: str) -> FrontDoor | None:
        """The front door ``attribute`` is read from; None when the construct has none."""
        raise NotImplementedError

    @property
    def domain(self) -> str | None:
        """The host name clients use. None when no gateway routes here."""
        front_door = self._front_door_of("domain")
        return None if front_door is None else front_door.domain

    @property
    def url(self) -> str | None:
        """The URL clients use (see the attribute table in docs/gateway.md). None when no gateway
        routes here."""
        front_door = self._front_door_of("url")
        return None if front_door is None else front_door.url

    @property
    def custom_domains(self) -> list[str]:
        """The custom domain names, each once, in the order given; empty when none."""
        front_door = self._front_door_of("custom_domains")
        return [] if front_door is None else list(front_door.custom_domains)

    @property
    def custom_domain_urls(self) -> list[str]:
        """``https://`` URLs of every API mapping (wildcard domains left out); empty when
        none."""
        front_door = self._front_door_of("custom_domain_urls")
        return [] if front_door is None else list(front_door.custom_domain_urls)

    @property
    def custom_domain_url(self) -> str | None:
        """The first of ``custom_domain_urls``; None when there is none."""
        front_door = self._front_door_of("custom_domain_url")
        return None if front_door is None else front_door.custom_domain_url

    @property
    def cdn_domain(self) -> str | None:
        """The CDN's ``*.cloudfront.net`` domain; None without a CDN."""
        front_door = self._front_door_of("cdn_domain")
        return None if front_door is None else front_door.cdn_domain

    @property
    def cdn_url(self) -> str | None:
        """The URL through the CDN's own domain; None without a CDN."""
        front_door = self._front_door_of("cdn_url")
        return None if front_door is None else front_door.cdn_url

    @property
    def cdn_custom_domains(self) -> list[str]:
        """The CDN's custom domain names; empty when none."""
        front_door = self._front_door_of("cdn_custom_domains")
        return [] if front_door is None else list(front_door.cdn_custom_domains)

    @property
    def cdn_custom_domain_urls(self) -> list[str]:
        """``https://`` URLs through the CDN's custom domains; empty when none."""
        front_door = self._front_door_of("cdn_custom_domain_urls")
        return [] if front_door is None else front_door.cdn_custom_domain_urls


def define_outputs(scope: Construct, front_door: FrontDoor, subject: str) -> None:
    """A stack output under ``scope`` for each configured attribute of ``front_door``, with
    a description naming ``subject``; a list is written comma-separated."""
    values: dict[tuple[str, str], str | None] = {
        ("Domain", "Domain"): front_door.domain,
        ("Url", "URL"): front_door.url,
        ("CustomDomains", "Custom domains"): ",".join(front_door.custom_domains) or None,
        ("CustomDomainUrls", "Custom domain URLs"): ",".join(front_door.custom_domain_urls) or None,
        ("CustomDomainUrl", "First custom domain URL"): front_door.custom_domain_url,
        ("CdnDomain", "CDN domain"): front_door.cdn_domain,
        ("CdnUrl", "CDN URL"): front_door.cdn_url,
        ("CdnCustomDomains", "CDN custom domains"): ",".join(front_door.cdn_custom_domains) or None,
        ("CdnCustomDomainUrls", "CDN custom domain URLs"): ",".join(
            front_door.cdn_custom_domain_urls
        )
        or None,
    }
    for (output_id, label), value in values.items():
        if value is not None:
            CfnOutput(scope, output_id, value=value, description=f"{label} of {subject}")


@dataclass(frozen=True)
class _Entrance:
    gateway: str
    route: str
    front_door: FrontDoor


class Reach:
    """The ways into one target construct: the gateways (and, for a job, the routes) that
    reach it, recorded as they are added, and the attribute reads they must not change.

    :param owner: the target construct.
    :param per_route: whether each route is its own way in (a job's start route, whose URL
        is the route's) or every route of a gateway is the same one (a service, whose URLs
        are the gateway's).
    """

    def __init__(self, owner: Construct, *, per_route: bool) -> None:
        self._owner = owner
        self._per_route = per_route
        self._entrances: dict[tuple[str, str], _Entrance] = {}
        self._read: str | None = None

    def add(
        self, gateway: IConstruct, front_door: FrontDoor, route: str, path: str, *, outputs: bool
    ) -> None:
        """Record that ``route`` of ``gateway`` (whose front door is ``front_door``) reaches
        the owner at ``path`` (used with ``per_route``), with the outputs of that way in when
        ``outputs`` (the gateway's setting).

        The outputs are the owner's, ``<owner>/Via|<gateway>``, when the owner is in the
        gateway's stack. A target in another stack (a job whose stack the gateway's depends
        on) gets them under the gateway, ``<gateway>/To|<owner>``: in its own stack they
        would make each stack depend on the other."""
        gateway_path = node_path(gateway)
        key = (gateway_path, route if self._per_route else "")
        if key in self._entrances:
            return
        if self._read is not None:
            before = self._describe()
            raise FrontDoorValidationError(
                self._owner,
                f"its {self._read} was read when {before}; route {route!r} of {gateway_path} "
                "would change it: add every route to it before reading its attributes",
            )
        entrance = _Entrance(
            gateway_path, route, front_door.at(path) if self._per_route else front_door
        )
        self._entrances[key] = entrance
        if not outputs:
            return
        owner_stack, gateway_stack = Stack.of(self._owner), Stack.of(gateway)
        if node_path(owner_stack) == node_path(gateway_stack):
            parent: IConstruct = self._owner
            scope_id = "Via|" + construct_key(gateway, owner_stack)
        else:
            parent = gateway
            scope_id = "To|" + construct_key(self._owner, gateway_stack)
        if self._per_route:
            scope_id += "|" + id_part(route)
        assert isinstance(parent, Construct)
        define_outputs(
            Construct(parent, scope_id),
            entrance.front_door,
            f"{node_path(self._owner)} via {gateway_path}"
            + (f" {route}" if self._per_route else ""),
        )

    @property
    def front_doors(self) -> dict[str, FrontDoor]:
        """The front door of each way in, by gateway path (with ``|`` and the route for a
        job). Reading it counts as reading the attributes."""
        self._read = self._read or "front_doors"
        return {"|".join(part for part in key if part): e.front_door for key, e in self._items()}

    def front_door(self, attribute: str) -> FrontDoor | None:
        """The one front door the owner's ``attribute`` is read from; None when no route
        reaches it."""
        self._read = self._read or attribute
        if len(self._entrances) > 1:
            raise FrontDoorValidationError(
                self._owner,
                f"{attribute} has no single value: it is reached {self._describe()}. Read "
                "the attribute of the gateway or route you mean, or front_doors, which has each",
            )
        return next((e.front_door for e in self._entrances.values()), None)

    def _items(self) -> list[tuple[tuple[str, str], _Entrance]]:
        return list(self._entrances.items())

    def _describe(self) -> str:
        if not self._entrances:
            return "no gateway routed to it"
        return "through " + " and ".join(
            f"{e.gateway} ({e.route})" if self._per_route else e.gateway
            for e in self._entrances.values()
        )
