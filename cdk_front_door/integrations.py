"""Turning route targets into one shared integration each, with the invoke permissions and
VPC Links they need.

A gateway has one :class:`Integrations` registry. It owns the integrations (one per target id,
the id made from the target's whole configuration), the Lambda invoke permissions (one per
function for the whole API, however many routes point at it), and the VPC Links (one per VPC).
Two targets with one id but different configurations are refused, naming both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from aws_cdk import Annotations, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from ._jsii import is_unresolved, node_path
from .errors import FrontDoorValidationError
from .identity import Caller
from .targets import (
    BindContext,
    FrontDoor,
    RouteTarget,
    RouteTargetLike,
    construct_key,
    to_route_target,
)


class Integrations:
    """The integrations of one gateway, with their permissions and VPC Links.

    Children of ``gateway``: ``Targets/<target id>`` (each integration and what it defines),
    ``Permissions`` (Lambda invoke permissions) and ``VpcLinks/<vpc>`` (made on first use).

    :param gateway: the gateway.
    :param http_api: its HTTP API.
    :param execute_api_arn: the ``execute-api`` ARN that invoke permissions name as source
        (every stage, method and path of the API).
    :param front_door: how clients reach the gateway, told to each target it binds (asked for
        when the first target binds, once the gateway is complete).
    :param identity_parameters: the parameter mapping of an HTTP backend's integration for
        each kind of caller (see :func:`cdk_front_door.identity.plan_identity_headers`).
    :param stack: the gateway's stack.
    """

    def __init__(
        self,
        gateway: Construct,
        http_api: apigwv2.HttpApi,
        execute_api_arn: str,
        front_door: Callable[[], FrontDoor],
        identity_parameters: Mapping[Caller, Mapping[str, str]],
        *,
        stack: Stack,
    ) -> None:
        self._gateway = gateway
        self._identity_parameters = identity_parameters
        self._front_door = front_door
        self._stack = stack
        self._http_api = http_api
        self._execute_api_arn = execute_api_arn
        self._targets_scope = Construct(gateway, "Targets")
        self._permissions_scope = Construct(gateway, "Permissions")
        self._vpc_links_scope: Construct | None = None
        self._principal: iam.ServicePrincipal | None = None
        self._vpc_links: dict[str, tuple[apigwv2.VpcLink, ec2.SecurityGroup]] = {}
        self._vpc_link_subnets: dict[str, ec2.SubnetSelection | None] = {}
        self._integrations: dict[str, apigwv2.HttpIntegration] = {}
        self._integration_ids: dict[str, str] = {}
        self._identities: dict[str, str] = {}
        self._seen_targets: dict[int, tuple[object, RouteTarget, str]] = {}
        self._invokable: set[str] = set()

    @property
    def stack(self) -> Stack:
        """The gateway's stack, which target ids are relative to."""
        return self._stack

    def resolve(self, target: RouteTargetLike) -> tuple[RouteTarget, str]:
        """The route target for what ``add_route`` was given, validated, and its id.

        Targets already seen (the same Python object) are looked up without asking the jsii
        kernel anything, which keeps each further route to them cheap.
        """
        seen = self._seen_targets.get(id(target))
        if seen is not None and seen[0] is target:
            return seen[1], seen[2]
        route_target = to_route_target(self._gateway, target)
        route_target.validate(self._gateway)
        target_id = route_target.target_id(self._stack)
        self._seen_targets[id(target)] = (target, route_target, target_id)
        return route_target, target_id

    def integrate(
        self, route_target: RouteTarget, target_id: str, caller: Caller = "other"
    ) -> tuple[apigwv2.HttpIntegration, str]:
        """The target's integration for routes whose auth vouches for ``caller``, and its id,
        shared by all those routes, defined on first use; a second configuration under the
        same id is refused.

        An HTTP backend (``receives_identity_headers``) has one integration per parameter
        mapping: ``<target id>`` for callers nothing is forwarded for, and ``<target
        id>|%Jwt`` or ``<target id>|%Lambda`` for those whose identity is.
        """
        parameters: Mapping[str, str] = {}
        if route_target.receives_identity_headers:
            parameters = self._identity_parameters[caller]
            if caller != "other" and parameters != self._identity_parameters["other"]:
                # "%" never appears unescaped in a target id made by the library.
                target_id += "|%Jwt" if caller == "jwt" else "|%Lambda"
        integration = self._integrations.get(target_id)
        identity = route_target.identity(self._stack)
        known = self._identities.setdefault(target_id, identity)
        if known != identity:
            raise FrontDoorValidationError(
                self._gateway,
                f"targets {known} and {identity} share the name {target_id!r} but differ in "
                "their settings: give each configuration its own name",
            )
        if integration is None:
            integration = route_target.bind(
                BindContext(
                    gateway=self._gateway,
                    front_door=self._front_door(),
                    scope=Construct(self._targets_scope, target_id),
                    http_api=self._http_api,
                    allow_invoke=self.allow_invoke,
                    vpc_link=self.vpc_link,
                    request_parameters=parameters,
                )
            )
            self._integrations[target_id] = integration
            self._integration_ids[target_id] = integration.integration_id
        return integration, self._integration_ids[target_id]

    def vpc_link(
        self, vpc: ec2.IVpc, subnets: ec2.SubnetSelection | None
    ) -> tuple[apigwv2.VpcLink, ec2.SecurityGroup]:
        """The gateway's VPC Link into ``vpc`` (one per gateway and VPC): in ``subnets``, or by
        default the VPC's private subnets when it has them, else its public ones; with a
        security group of its own that lets nothing out until a target adds a rule."""
        key = construct_key(vpc, self._stack)
        found = self._vpc_links.get(key)
        if found is not None:
            if subnets is not None and subnets != self._vpc_link_subnets.get(key):
                raise FrontDoorValidationError(
                    self._gateway,
                    f"the VPC Link into {vpc.node.path} already exists with other subnets: "
                    "targets in one VPC share the gateway's link, so give them the same "
                    "link_subnets (or none)",
                )
            return found
        if self._vpc_links_scope is None:
            self._vpc_links_scope = Construct(self._gateway, "VpcLinks")
        scope = Construct(self._vpc_links_scope, key)
        security_group = ec2.SecurityGroup(
            scope,
            "SecurityGroup",
            vpc=vpc,
            description=(
                f"VPC Link of {node_path(self._gateway)} - reaches only the tasks routed to"
            ),
            allow_all_outbound=False,
        )
        link = apigwv2.VpcLink(
            scope,
            "VpcLink",
            vpc=vpc,
            subnets=subnets or _default_link_subnets(vpc),
            security_groups=[security_group],
        )
        self._vpc_links[key] = (link, security_group)
        self._vpc_link_subnets[key] = subnets
        return link, security_group

    def allow_authorizer_invoke(
        self, function: lambda_.IFunction, permission_id: str, source_arn: str
    ) -> None:
        """Let API Gateway invoke an authorizer's function, for that authorizer only."""
        function.add_permission(
            permission_id,
            principal=self._apigateway_principal(),
            action="lambda:InvokeFunction",
            source_arn=source_arn,
            scope=self._permissions_scope,
        )

    def allow_invoke(self, function: lambda_.IFunction) -> None:
        """One invoke permission per function for the whole API, whatever the number of routes
        (one per route overflows the 20 KB Lambda policy at about 30 routes)."""
        key = construct_key(function, self._stack)
        if key in self._invokable:
            return
        self._invokable.add(key)
        self._warn_if_cross_account(function)
        function.add_permission(
            key,
            principal=self._apigateway_principal(),
            action="lambda:InvokeFunction",
            source_arn=self._execute_api_arn,
            scope=self._permissions_scope,
        )

    def _warn_if_cross_account(self, function: lambda_.IFunction) -> None:
        # A function defined in this stack (not imported into it) shares its account.
        defined_here = isinstance(function, lambda_.Function) and node_path(function).startswith(
            node_path(self._stack) + "/"
        )
        account = None if defined_here else function.env.account
        stack_account = None if account is None or is_unresolved(account) else self._stack.account
        if (
            stack_account is not None
            and not is_unresolved(stack_account)
            and account != stack_account
        ):
            Annotations.of(self._gateway).add_warning_v2(
                "cdk-front-door:cross-account-function",
                f"function {function.node.path} is in account {account}, so no invoke "
                "permission can be defined here: grant apigateway.amazonaws.com "
                f"lambda:InvokeFunction on it in its own account, with source ARN "
                f"arn:aws:execute-api:*:{stack_account}:<api-id>/*",
            )

    def _apigateway_principal(self) -> iam.ServicePrincipal:
        """API Gateway's service principal, one object for all the gateway's permissions."""
        if self._principal is None:
            self._principal = iam.ServicePrincipal("apigateway.amazonaws.com")
        return self._principal


def _default_link_subnets(vpc: ec2.IVpc) -> ec2.SubnetSelection:
    """The VPC's private subnets when it has them, else its isolated ones, else its public."""
    if vpc.private_subnets:
        return ec2.SubnetSelection(subnets=vpc.private_subnets)
    if vpc.isolated_subnets:
        return ec2.SubnetSelection(subnets=vpc.isolated_subnets)
    return ec2.SubnetSelection(subnets=vpc.public_subnets)
