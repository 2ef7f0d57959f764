// Well-known labels, annotations and finalizers (k8s.io/api/*/well_known_labels.go and friends), as named
// constants. Shared by every component: add yours, keep the sections sorted by API group, never rewrite others'.

// ---------------------------------------------------------------------------------------------
// core (k8s.io/api/core/v1/annotation_key_constants.go)

/** v1.LastAppliedConfigAnnotation: written by `kubectl apply`; never copied from a Deployment to its ReplicaSets. */
export const ANNOTATION_LAST_APPLIED_CONFIG = 'kubectl.kubernetes.io/last-applied-configuration';
/** v1.PodDeletionCost: an int32 as a string; a ReplicaSet scaling down deletes pods with a lower cost first. */
export const ANNOTATION_POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
/** v1.FinalizerKubernetes: the namespace controller's token in a Namespace's spec.finalizers; removed through
 *  PUT namespaces/{name}/finalize once the namespace is empty, after which the API server deletes it. */
export const FINALIZER_KUBERNETES = 'kubernetes';
/** v1.EndpointsLastChangeTriggerTime: on Endpoints and EndpointSlices, the time (RFC 3339, UTC) of the pod or
 *  Service change that caused the write (staging/src/k8s.io/endpointslice/util/trigger_time_tracker.go). */
export const ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** v1.EndpointsOverCapacity: value "truncated" on an Endpoints object cut down to 1,000 addresses. */
export const ANNOTATION_ENDPOINTS_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** resourcelock.LeaderElectionRecordAnnotationKey: Endpoints carrying it are leader-election records, never
 *  deleted by the endpoints controller nor mirrored into EndpointSlices. */
export const ANNOTATION_LEADER_ELECTION = 'control-plane.alpha.kubernetes.io/leader';
/** The pre-1.9 alias of spec.publishNotReadyAddresses (dropped by Kubernetes in 1.24; kubedisco still honours
 *  "true" and the API server warns on write). */
export const ANNOTATION_TOLERATE_UNREADY_ENDPOINTS = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';
/** v1.IsHeadlessService: on the Endpoints and EndpointSlices of a Service whose clusterIP is None (value ""). */
export const LABEL_HEADLESS_SERVICE = 'service.kubernetes.io/headless';
/** v1.LabelTopologyZone: a Node's zone, copied into EndpointSlice endpoints[].zone. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** v1.LabelHostname: a Node's hostname (the kubelet sets it to the node name). */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** v1.LabelOSStable: a Node's operating system (GOOS), e.g. "linux". */
export const LABEL_OS = 'kubernetes.io/os';
/** v1.LabelArchStable: a Node's architecture (GOARCH), e.g. "amd64". */
export const LABEL_ARCH = 'kubernetes.io/arch';
/** The deprecated beta.kubernetes.io/os label the kubelet still sets on its Node. */
export const LABEL_OS_BETA = 'beta.kubernetes.io/os';
/** The deprecated beta.kubernetes.io/arch label the kubelet still sets on its Node. */
export const LABEL_ARCH_BETA = 'beta.kubernetes.io/arch';
/** v1.LabelInstanceTypeStable: a Node's machine type. */
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';

// ---------------------------------------------------------------------------------------------
// apps (k8s.io/api/apps/v1/types.go; pkg/controller/history/controller_history.go)

/** apps.PodIndexLabel: the ordinal of a StatefulSet pod, as a decimal string (GA 1.32). */
export const LABEL_POD_INDEX = 'apps.kubernetes.io/pod-index';
/** apps.ControllerRevisionHashLabelKey / StatefulSetRevisionLabel: the ControllerRevision a pod was made from. */
export const LABEL_CONTROLLER_REVISION_HASH = 'controller-revision-hash';
/** history.ControllerRevisionHashLabel: the hash of a ControllerRevision's data, on the revision itself. */
export const LABEL_CONTROLLER_HASH = 'controller.kubernetes.io/hash';
/** apps.StatefulSetPodNameLabel: a StatefulSet pod's own name (lets a Service select one pod). */
export const LABEL_STATEFULSET_POD_NAME = 'statefulset.kubernetes.io/pod-name';
/** apps.DefaultDeploymentUniqueLabelKey: the hash of a Deployment's pod template, on its ReplicaSets and their pods. */
export const LABEL_POD_TEMPLATE_HASH = 'pod-template-hash';
/** deploymentutil.RevisionAnnotation: the rollout sequence number of a ReplicaSet (and of its Deployment). */
export const ANNOTATION_DEPLOYMENT_REVISION = 'deployment.kubernetes.io/revision';
/** deploymentutil.RevisionHistoryAnnotation: earlier revisions a ReplicaSet served (set when rolling back to it). */
export const ANNOTATION_DEPLOYMENT_REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
/** deploymentutil.DesiredReplicasAnnotation: the Deployment's spec.replicas when the ReplicaSet was last scaled. */
export const ANNOTATION_DEPLOYMENT_DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
/** deploymentutil.MaxReplicasAnnotation: spec.replicas + maxSurge when the ReplicaSet was last scaled. */
export const ANNOTATION_DEPLOYMENT_MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** apps.DeprecatedRollbackTo: the extensions/v1beta1 rollback request annotation (never copied to ReplicaSets). */
export const ANNOTATION_DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';

// ---------------------------------------------------------------------------------------------
// discovery.k8s.io (k8s.io/api/discovery/v1/well_known_labels.go)

/** discovery.LabelManagedBy: the controller that manages an EndpointSlice. */
export const LABEL_ENDPOINTSLICE_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** discovery.LabelServiceName: the Service an EndpointSlice belongs to. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** discovery.LabelSkipMirror: "true" on an Endpoints object the mirroring controller must not mirror. */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';

// ---------------------------------------------------------------------------------------------
// meta (k8s.io/apimachinery/pkg/apis/meta/v1/types.go)

/** metav1.FinalizerDeleteDependents: set by a Foreground delete; the garbage collector removes it once no
 *  dependent with ownerReferences[].blockOwnerDeletion remains. */
export const FINALIZER_FOREGROUND_DELETION = 'foregroundDeletion';
/** metav1.FinalizerOrphanDependents: set by an Orphan delete; the garbage collector removes the owner's
 *  ownerReferences from every dependent, then this finalizer. */
export const FINALIZER_ORPHAN = 'orphan';

// ---------------------------------------------------------------------------------------------
// nodesim.kubedisco.io (kubedisco's node simulator, src/nodesim/README.md)

/** On a Node: the node is simulated by kubedisco's node simulator (value NODESIM_NODE_SIMULATED). Like KWOK's
 *  kwok.x-k8s.io/node: fake, it is how the simulator knows which nodes (and so which pods) are its own. */
export const ANNOTATION_NODESIM_NODE = 'nodesim.kubedisco.io/node';
export const NODESIM_NODE_SIMULATED = 'simulated';
/** node.kubernetes.io/instance-type of a simulated node. */
export const NODESIM_INSTANCE_TYPE = 'kubedisco-sim';
/** On a Pod: "false" makes a simulated pod's containers unready (as a failing readiness probe would); removing
 *  it, or any other value, makes them ready again. */
export const ANNOTATION_NODESIM_READY = 'nodesim.kubedisco.io/ready';
/** On a running Pod with restartPolicy Never (or OnFailure and "0"): its containers exit with this code, and
 *  the pod becomes Succeeded ("0") or Failed. */
export const ANNOTATION_NODESIM_EXIT_CODE = 'nodesim.kubedisco.io/exit-code';
