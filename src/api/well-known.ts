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
// meta (k8s.io/apimachinery/pkg/apis/meta/v1/types.go)

/** metav1.FinalizerDeleteDependents: set by a Foreground delete; the garbage collector removes it once no
 *  dependent with ownerReferences[].blockOwnerDeletion remains. */
export const FINALIZER_FOREGROUND_DELETION = 'foregroundDeletion';
/** metav1.FinalizerOrphanDependents: set by an Orphan delete; the garbage collector removes the owner's
 *  ownerReferences from every dependent, then this finalizer. */
export const FINALIZER_ORPHAN = 'orphan';
