"""BatchJob: a container that runs to completion on Fargate, started by an HTTP route.

A STANDARD Step Functions state machine runs the job's task and waits for it (``ecs:runTask.sync``),
retries a failed task with exponential backoff, gives up after a timeout and ends in a failure
state. ``api.add_route("POST /jobs", job)`` starts an execution straight from API Gateway (no
Lambda function in between) and answers at once with its ARN; ``job.stop_target()`` is a route
target that stops one. Nothing runs, and nothing bills, between jobs.
"""

from __future__ import annotations

from aws_cdk import (
    ArnFormat,
    CfnElement,
    CfnResource,
    Duration,
    Stack,
)
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct, IConstruct

from ._fargate import (
    Container,
    check_task_options,
    fargate_task,
    idle_free_vpc,
    new_cluster,
    select_task_subnets,
    task_security_group,
    validate_containers,
    validate_fargate_size,
)
from ._jsii import is_unresolved
from ._nag import acknowledge_wildcards
from .errors import FrontDoorValidationError, check, check_number
from .reach import FrontDoorAttributes, Reach
from .routes import RouteKey
from .service_targets import StartExecution, StopExecution
from .targets import FrontDoor, RouteTarget

MAX_RETRIES = 10
RETRY_INTERVAL = Duration.seconds(30)
RETRY_BACKOFF_RATE = 2.0
_MIN_TIMEOUT_SECONDS = 60
_MAX_TIMEOUT_SECONDS = 365 * 24 * 3600  # a standard execution lasts at most a year
INPUT_VARIABLE = "JOB_INPUT"
EXECUTION_VARIABLE = "JOB_EXECUTION_ARN"


class BatchJob(Construct, FrontDoorAttributes):
    """A container job on Fargate, run by a Step Functions state machine.

    Each execution runs one task of ``container`` with the execution's input (the request
    body, a JSON object) in the environment variable ``JOB_INPUT`` and the execution's ARN in
    ``JOB_EXECUTION_ARN``. A task that fails (a non-zero exit code, or ECS could not start it)
    is retried after 30 s, 60 s, 120 s, … (with jitter); a task still running after
    ``timeout`` is stopped and counts as failed. After the last retry the execution fails.

    :param scope: the parent construct.
    :param construct_id: the construct id.
    :param container: the job's container (no port: a job takes no traffic).
    :param cpu: the task's CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384).
        Default: 256 (0.25 vCPU)
    :param memory: the task's memory in MiB, one Fargate allows with ``cpu``. Default: 512
    :param timeout: how long one attempt may run, 1 minute to 365 days. Default: - 1 hour
    :param retries: how many times a failed attempt is retried, 0 to 10. Default: 2
    :param architecture: the CPU architecture of the image. Default: - ARM64 (Graviton)
    :param vpc: the VPC to run in. Default: - a new VPC with two public subnets and no NAT
        gateway; tasks get a public IP to pull the image and send logs
    :param task_subnets: where the tasks run. Default: - a given VPC's private subnets with
        egress when it has them, else the public subnets
    :param cluster: the ECS cluster. Default: - a new cluster (no Container Insights)
    :param log_retention: how long the job's and the state machine's logs are kept.
        Default: - 30 days

    Started from a route, the job has the nine attributes of that route (``domain``, ``url``,
    ... ``cdn_custom_domain_urls``): its URLs are the gateway's followed by the start route's
    path (with any ``{parameter}`` as written in the route). See :mod:`cdk_front_door.reach`
    for a job no route starts, or several do; each start route also has its stack outputs.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        container: Container,
        cpu: int = 256,
        memory: int = 512,
        timeout: Duration | None = None,
        retries: int = 2,
        architecture: ecs.CpuArchitecture | None = None,
        vpc: ec2.IVpc | None = None,
        task_subnets: ec2.SubnetSelection | None = None,
        cluster: ecs.ICluster | None = None,
        log_retention: logs.RetentionDays | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        timeout, attempt_seconds = _validate(
            self,
            container=container,
            cpu=cpu,
            memory=memory,
            timeout=timeout,
            retries=retries,
            architecture=architecture,
            vpc=vpc,
            task_subnets=task_subnets,
            cluster=cluster,
            log_retention=log_retention,
        )
        retention = log_retention or logs.RetentionDays.ONE_MONTH
        if cluster is not None and vpc is None:
            vpc = cluster.vpc
        self.vpc: ec2.IVpc = vpc or idle_free_vpc(self)
        """The VPC the tasks run in."""
        selection, public = select_task_subnets(self, self.vpc, task_subnets, given_vpc=vpc)
        self.cluster: ecs.ICluster = cluster or new_cluster(
            self, self.vpc, container_insights=False
        )
        """The ECS cluster the tasks run in."""
        self.log_group = logs.LogGroup(self, "Logs", retention=retention)
        """The container's log group."""
        self.task_definition, definitions = fargate_task(
            self,
            containers=[container],
            cpu=cpu,
            memory=memory,
            architecture=architecture,
            log_group=self.log_group,
        )
        """The Fargate task definition."""
        self.security_group = task_security_group(self, self.vpc, "no inbound traffic")
        """The tasks' security group: nothing comes in; they may reach out."""
        run = _run_state(
            self, definitions[container.name], selection, public=public, timeout=timeout
        )
        _retry_then_fail(self, run, retries)
        self.state_machine_logs = logs.LogGroup(self, "StateMachineLogs", retention=retention)
        """The state machine's log group (every event, without execution data)."""
        self.state_machine = _state_machine(
            self, run, container.name, attempt_seconds=attempt_seconds, retries=retries
        )
        """The STANDARD state machine; one execution per job."""
        self.timeout = timeout
        """How long one attempt may run."""
        self.retries = retries
        """How many times a failed attempt is retried."""
        self._reach = Reach(self, per_route=True)

    def as_route_target(self) -> RouteTarget:
        """A route target that starts a job with the request body as its input and answers
        at once with ``{"executionArn": …, "startDate": …}``."""
        return _Start(self)

    def start_target(self, *, name: str | None = None) -> RouteTarget:
        """Like the job itself as a target, with an execution name read from the request
        (for example ``"$request.header.idempotency-key"``): a repeated name starts nothing
        new for 90 days."""
        return _Start(self, name=name)

    @property
    def front_doors(self) -> dict[str, FrontDoor]:
        """The front door of each route that starts the job, by the gateway's path, ``|``
        and the route key."""
        return self._reach.front_doors

    def _front_door_of(self, attribute: str) -> FrontDoor | None:
        return self._reach.front_door(attribute)

    def stop_target(self, *, execution_arn: str = "$request.body.executionArn") -> RouteTarget:
        """A route target that stops a running job; its role may stop this job's executions
        only."""
        return StopExecution(self.state_machine, execution_arn=execution_arn)

    def grant_status(self, grantee: iam.IGrantable) -> iam.Grant:
        """Allow ``grantee`` (for example a status function behind a route) to read this job's
        executions: ``states:DescribeExecution`` on them and nothing else. The wildcard for
        execution names is acknowledged to cdk-nag on the grantee's principal."""
        stack = Stack.of(self)
        statement = iam.PolicyStatement(
            actions=["states:DescribeExecution"],
            resources=[
                stack.format_arn(
                    service="states",
                    resource="execution",
                    resource_name=f"{self.state_machine.state_machine_name}:*",
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                )
            ],
        )
        grant = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=statement.actions,
            resource_arns=statement.resources,
        )
        principal = grantee.grant_principal
        if isinstance(principal, Construct):
            acknowledge_wildcards(
                principal,
                [statement],
                f"execution ARNs of {self.node.path} are made at run time; the wildcard "
                "covers only that job's executions",
            )
        return grant


def _validate(
    scope: Construct,
    *,
    container: Container,
    cpu: int,
    memory: int,
    timeout: Duration | None,
    retries: int,
    architecture: ecs.CpuArchitecture | None,
    vpc: ec2.IVpc | None,
    task_subnets: ec2.SubnetSelection | None,
    cluster: ecs.ICluster | None,
    log_retention: logs.RetentionDays | None,
) -> tuple[Duration, int]:
    """Check the job's props; return the attempt timeout (1 hour unless given) and its seconds."""
    check(scope, "container", container, Container)
    check_task_options(
        scope,
        architecture=architecture,
        vpc=vpc,
        task_subnets=task_subnets,
        cluster=cluster,
        log_retention=log_retention,
    )
    check(scope, "timeout", timeout, Duration | None)
    validate_containers(scope, [container])
    if container.port is not None:
        raise FrontDoorValidationError(
            scope,
            f"job container {container.name!r} has port {container.port}, but a job takes "
            "no traffic: drop the port (use ContainerService for a server)",
        )
    validate_fargate_size(scope, cpu, memory)
    timeout = timeout or Duration.hours(1)
    attempt_seconds = _timeout_seconds(scope, timeout)
    check_number(
        scope,
        "retries",
        retries,
        minimum=0,
        maximum=MAX_RETRIES,
        whole=True,
        needed_at_synth="the job's overall timeout is computed from it",
    )
    return timeout, attempt_seconds


def _run_state(
    job: BatchJob,
    definition: ecs.ContainerDefinition,
    subnets: ec2.SubnetSelection,
    *,
    public: bool,
    timeout: Duration,
) -> _RunTask:
    """The ``Run`` state: one task of the job's container, given the execution's input and ARN."""
    run = _RunTask(
        job,
        "Run",
        cluster=job.cluster,
        task_definition=job.task_definition,
        launch_target=tasks.EcsFargateLaunchTarget(
            platform_version=ecs.FargatePlatformVersion.LATEST
        ),
        integration_pattern=sfn.IntegrationPattern.RUN_JOB,
        assign_public_ip=public,
        subnets=subnets,
        security_groups=[job.security_group],
        container_overrides=[
            tasks.ContainerOverride(
                container_definition=definition,
                environment=[
                    tasks.TaskEnvironmentVariable(
                        name=INPUT_VARIABLE,
                        value=sfn.JsonPath.json_to_string(sfn.JsonPath.object_at("$")),
                    ),
                    tasks.TaskEnvironmentVariable(
                        name=EXECUTION_VARIABLE, value=sfn.JsonPath.execution_id
                    ),
                ],
            )
        ],
        task_timeout=sfn.Timeout.duration(timeout),
        result_path=sfn.JsonPath.DISCARD,
    )
    run.limit_to_cluster(job.cluster)
    return run


def _retry_then_fail(job: BatchJob, run: _RunTask, retries: int) -> None:
    """Retry a failed ``run`` with exponential backoff, then end in the ``Failed`` state."""
    run.add_retry(
        errors=["States.TaskFailed", "States.Timeout"],
        interval=RETRY_INTERVAL,
        max_attempts=retries,
        backoff_rate=RETRY_BACKOFF_RATE,
        jitter_strategy=sfn.JitterType.FULL,
    )
    failed = sfn.Fail(
        job,
        "Failed",
        error="JobFailed",
        cause=f"the job failed {retries + 1} time(s); see its log group",
    )
    run.add_catch(failed, errors=["States.ALL"])


def _state_machine(
    job: BatchJob, run: _RunTask, container_name: str, *, attempt_seconds: int, retries: int
) -> sfn.StateMachine:
    """The STANDARD state machine that runs ``run``, timed to fit every attempt and wait."""
    waits = sum(RETRY_INTERVAL.to_seconds() * RETRY_BACKOFF_RATE**n for n in range(retries))
    machine = sfn.StateMachine(
        job,
        "StateMachine",
        state_machine_type=sfn.StateMachineType.STANDARD,
        definition_body=sfn.DefinitionBody.from_chainable(run.next(sfn.Succeed(job, "Succeeded"))),
        timeout=Duration.seconds(int(attempt_seconds * (retries + 1) + waits + 300)),
        logs=sfn.LogOptions(
            destination=job.state_machine_logs,
            level=sfn.LogLevel.ALL,
            include_execution_data=False,
        ),
        tracing_enabled=True,
        comment=f"Runs {container_name} on Fargate: {job.node.path}",
    )
    _acknowledge_state_machine_role(machine)
    _depend_on_role_policy_only(machine)
    return machine


def _timeout_seconds(scope: Construct, timeout: object) -> int:
    if not isinstance(timeout, Duration):
        raise FrontDoorValidationError(
            scope, f"timeout must be a Duration, got {type(timeout).__name__} {timeout!r}"
        )
    seconds = timeout.to_seconds(integral=False)
    if is_unresolved(seconds):
        raise FrontDoorValidationError(
            scope,
            "timeout must be known at synth time (the state machine's attempts are timed "
            "with it), got a token",
        )
    if seconds != int(seconds) or not _MIN_TIMEOUT_SECONDS <= seconds <= _MAX_TIMEOUT_SECONDS:
        raise FrontDoorValidationError(
            scope,
            f"timeout of {seconds:g} s is not allowed: give whole seconds from "
            f"{_MIN_TIMEOUT_SECONDS} (1 minute) to {_MAX_TIMEOUT_SECONDS} (365 days)",
        )
    return int(seconds)


class _Start(StartExecution):
    """Starts the job: ``StartExecution`` of its state machine, which tells the job of each
    route that starts it (the job's URLs are those of its start route)."""

    def __init__(self, job: BatchJob, *, name: str | None = None) -> None:
        super().__init__(job.state_machine, name=name)
        self._job = job

    @property
    def backend(self) -> IConstruct:
        """The job: its failed and timed-out executions are watched."""
        return self._job

    def routed(
        self, gateway: IConstruct, front_door: FrontDoor, route: RouteKey, *, outputs: bool
    ) -> None:
        path = "" if route.is_default else route.path.lstrip("/")
        self._job._reach.add(gateway, front_door, route.value, path, outputs=outputs)


class _RunTask(tasks.EcsRunTask):
    """aws-cdk-lib's ``EcsRunTask``, whose task-watching permissions can be limited to its
    cluster.

    For ``ecs:runTask.sync`` aws-cdk-lib grants ``ecs:StopTask`` and ``ecs:DescribeTasks`` on
    every task (``*``): task ARNs are made at run time, and the task offers no property to
    narrow them. Adding a narrower statement would not help (the ``*`` one still allows), so
    the task's own statement gets the condition, through ``taskPolicies``, the protected
    property by which a task state hands its statements to the state machine's role.
    """

    def limit_to_cluster(self, cluster: ecs.ICluster) -> None:
        """Allow ``ecs:StopTask`` and ``ecs:DescribeTasks`` on tasks of ``cluster`` only.

        Both actions support the ``ecs:cluster`` condition key. Call before the task is
        used in a state machine, which adds the statements to its role."""
        for statement in self._task_policies or []:
            actions = set(statement.actions)
            if actions and actions <= _TASK_WATCH_ACTIONS:
                statement.add_condition("ArnEquals", {"ecs:cluster": cluster.cluster_arn})


_TASK_WATCH_ACTIONS = frozenset({"ecs:StopTask", "ecs:DescribeTasks"})


def _acknowledge_state_machine_role(machine: sfn.StateMachine) -> None:
    policy = machine.role.node.try_find_child("DefaultPolicy")
    if not isinstance(policy, iam.Policy):
        return
    statements = Stack.of(machine).resolve(policy.document.to_json()).get("Statement", [])
    acknowledge_wildcards(
        policy,
        statements,
        "ecs:runTask.sync needs ecs:StopTask and ecs:DescribeTasks on task ARNs made at run "
        "time, limited by an ecs:cluster condition to the tasks of the job's own cluster; the "
        "CloudWatch Logs delivery actions and X-Ray's trace actions support no resource-level "
        "permissions",
    )


def _depend_on_role_policy_only(machine: sfn.StateMachine) -> None:
    """Make the machine depend on its role's policy only, not on the role as well."""
    # aws-cdk-lib makes the machine depend on its role too, which its RoleArn already
    # implies (cfn-lint W3005): only the dependency on the role's policy stays.
    policy = machine.role.node.try_find_child("DefaultPolicy")
    machine_resource = machine.node.default_child
    if policy is not None and isinstance(machine_resource, CfnResource):
        policy_resource = policy.node.default_child
        assert isinstance(policy_resource, CfnElement)
        machine_resource.add_override(
            "DependsOn", [Stack.of(machine).get_logical_id(policy_resource)]
        )
