// Decoding of protobuf request bodies (kubectl-compatibility.md §0 item 2, §2.8).
//
// kubectl 1.32's typed-client generators (`create namespace|deployment|service|configmap`) send
// `Content-Type: application/vnd.kubernetes.protobuf` and do not retry as JSON on 415. The body is the 4-byte
// magic `k8s\0` followed by a runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding,
// 4 contentType}; `raw` is the object's own message. We decode it into the same JSON-shaped object the JSON
// decoder produces, so everything downstream is unchanged; responses go back as JSON (the Accept header allows it).
//
// Coverage: every kind kubedisco serves (RESOURCES), with the complete k8s.io/api v0.32 message set they use.
// SCHEMA below lists field numbers, JSON names and types exactly as in the v0.32 generated.proto descriptors
// (read from the FileDescriptorProtos compiled into kubectl 1.32). Types: proto scalars; `map<K,V>` for map
// entries; `[]` repeated; `^` inlined into the parent (Go `json:",inline"`); `?` a Go pointer, whose zero value is
// meaningful and therefore kept (e.g. `replicas: 0`, `ready: false`, EndpointPort `name: ""`); Time, MicroTime,
// IntOrString, Quantity, FieldsV1, RawExtension have their custom JSON forms.
//
// JSON shape rules (what Go's encoding/json would print after a proto decode): non-pointer scalars at their zero
// value are left out (omitempty), present messages are always objects (possibly `{}`), a present zero Time is
// null, int64 becomes a JSON number, bytes become base64. kubectl's generators thus decode to exactly the JSON
// `kubectl create ... --dry-run=client -o json` prints.
//
// Robustness: every read is bounds-checked, lengths and varints are validated as gogo-protobuf does (same error
// texts), groups are rejected, unknown fields are skipped as kube's generated unmarshalers do, and recursion is
// bounded by the (acyclic) schema. Any malformed input is a 400 BadRequest StatusError; a kind we have no schema
// for is a 415 UnsupportedMediaType telling the user to send JSON.

import type { KObject } from '../api/meta.ts';
import { StatusError, badRequest } from '../api/status.ts';
import { apiVersionOf, RESOURCES } from '../api/resources.ts';

export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** The kinds we can decode, by `apiVersion/kind`, with their root message: every kind we serve. */
export const PROTOBUF_KINDS: Readonly<Record<string, string>> = Object.fromEntries(RESOURCES.map((r) => [`${apiVersionOf(r)}/${r.kind}`, r.kind]));

// k8s.io/api v0.32 + k8s.io/apimachinery v0.32 generated.proto, restricted to what the kinds above reach.
const SCHEMA = `
AWSElasticBlockStoreVolumeSource: 1 volumeID string; 2 fsType string; 3 partition int32; 4 readOnly bool
Affinity: 1 nodeAffinity NodeAffinity; 2 podAffinity PodAffinity; 3 podAntiAffinity PodAntiAffinity
AppArmorProfile: 1 type string; 2 localhostProfile string
AttachedVolume: 1 name string; 2 devicePath string
AzureDiskVolumeSource: 1 diskName string; 2 diskURI string; 3 cachingMode string; 4 fsType string; 5 readOnly ?bool; 6 kind string
AzureFileVolumeSource: 1 secretName string; 2 shareName string; 3 readOnly bool
CSIVolumeSource: 1 driver string; 2 readOnly ?bool; 3 fsType string; 4 volumeAttributes map<string,string>; 5 nodePublishSecretRef LocalObjectReference
Capabilities: 1 add []string; 2 drop []string
CephFSVolumeSource: 1 monitors []string; 2 path string; 3 user string; 4 secretFile string; 5 secretRef LocalObjectReference; 6 readOnly bool
CinderVolumeSource: 1 volumeID string; 2 fsType string; 3 readOnly bool; 4 secretRef LocalObjectReference
ClientIPConfig: 1 timeoutSeconds ?int32
ClusterTrustBundleProjection: 1 name string; 2 signerName string; 3 labelSelector LabelSelector; 5 optional ?bool; 4 path string
ConfigMap: 1 metadata ObjectMeta; 4 immutable ?bool; 2 data map<string,string>; 3 binaryData map<string,bytes>
ConfigMapEnvSource: 1 localObjectReference LocalObjectReference; 2 optional ?bool
ConfigMapKeySelector: 1 localObjectReference LocalObjectReference; 2 key string; 3 optional ?bool
ConfigMapNodeConfigSource: 1 namespace string; 2 name string; 3 uid string; 4 resourceVersion string; 5 kubeletConfigKey string
ConfigMapProjection: 1 localObjectReference LocalObjectReference; 2 items []KeyToPath; 4 optional ?bool
ConfigMapVolumeSource: 1 localObjectReference LocalObjectReference; 2 items []KeyToPath; 3 defaultMode ?int32; 4 optional ?bool
Container: 1 name string; 2 image string; 3 command []string; 4 args []string; 5 workingDir string; 6 ports []ContainerPort; 19 envFrom []EnvFromSource; 7 env []EnvVar; 8 resources ResourceRequirements; 23 resizePolicy []ContainerResizePolicy; 24 restartPolicy string; 9 volumeMounts []VolumeMount; 21 volumeDevices []VolumeDevice; 10 livenessProbe Probe; 11 readinessProbe Probe; 22 startupProbe Probe; 12 lifecycle Lifecycle; 13 terminationMessagePath string; 20 terminationMessagePolicy string; 14 imagePullPolicy string; 15 securityContext SecurityContext; 16 stdin bool; 17 stdinOnce bool; 18 tty bool
ContainerImage: 1 names []string; 2 sizeBytes int64
ContainerPort: 1 name string; 2 hostPort int32; 3 containerPort int32; 4 protocol string; 5 hostIP string
ContainerResizePolicy: 1 resourceName string; 2 restartPolicy string
ContainerState: 1 waiting ContainerStateWaiting; 2 running ContainerStateRunning; 3 terminated ContainerStateTerminated
ContainerStateRunning: 1 startedAt Time
ContainerStateTerminated: 1 exitCode int32; 2 signal int32; 3 reason string; 4 message string; 5 startedAt Time; 6 finishedAt Time; 7 containerID string
ContainerStateWaiting: 1 reason string; 2 message string
ContainerStatus: 1 name string; 2 state ContainerState; 3 lastState ContainerState; 4 ready bool; 5 restartCount int32; 6 image string; 7 imageID string; 8 containerID string; 9 started ?bool; 10 allocatedResources map<string,Quantity>; 11 resources ResourceRequirements; 12 volumeMounts []VolumeMountStatus; 13 user ContainerUser; 14 allocatedResourcesStatus []ResourceStatus
ContainerUser: 1 linux LinuxContainerUser
DaemonEndpoint: 1 Port int32
DownwardAPIProjection: 1 items []DownwardAPIVolumeFile
DownwardAPIVolumeFile: 1 path string; 2 fieldRef ObjectFieldSelector; 3 resourceFieldRef ResourceFieldSelector; 4 mode ?int32
DownwardAPIVolumeSource: 1 items []DownwardAPIVolumeFile; 2 defaultMode ?int32
EmptyDirVolumeSource: 1 medium string; 2 sizeLimit Quantity
EndpointAddress: 1 ip string; 3 hostname string; 4 nodeName string; 2 targetRef ObjectReference
EndpointPort: 1 name string; 2 port int32; 3 protocol string; 4 appProtocol string
EndpointSubset: 1 addresses []EndpointAddress; 2 notReadyAddresses []EndpointAddress; 3 ports []EndpointPort
Endpoints: 1 metadata ObjectMeta; 2 subsets []EndpointSubset
EnvFromSource: 1 prefix string; 2 configMapRef ConfigMapEnvSource; 3 secretRef SecretEnvSource
EnvVar: 1 name string; 2 value string; 3 valueFrom EnvVarSource
EnvVarSource: 1 fieldRef ObjectFieldSelector; 2 resourceFieldRef ResourceFieldSelector; 3 configMapKeyRef ConfigMapKeySelector; 4 secretKeyRef SecretKeySelector
EphemeralContainer: 1 ephemeralContainerCommon ^EphemeralContainerCommon; 2 targetContainerName string
EphemeralContainerCommon: 1 name string; 2 image string; 3 command []string; 4 args []string; 5 workingDir string; 6 ports []ContainerPort; 19 envFrom []EnvFromSource; 7 env []EnvVar; 8 resources ResourceRequirements; 23 resizePolicy []ContainerResizePolicy; 24 restartPolicy string; 9 volumeMounts []VolumeMount; 21 volumeDevices []VolumeDevice; 10 livenessProbe Probe; 11 readinessProbe Probe; 22 startupProbe Probe; 12 lifecycle Lifecycle; 13 terminationMessagePath string; 20 terminationMessagePolicy string; 14 imagePullPolicy string; 15 securityContext SecurityContext; 16 stdin bool; 17 stdinOnce bool; 18 tty bool
EphemeralVolumeSource: 1 volumeClaimTemplate PersistentVolumeClaimTemplate
Event: 1 metadata ObjectMeta; 2 involvedObject ObjectReference; 3 reason string; 4 message string; 5 source EventSource; 6 firstTimestamp Time; 7 lastTimestamp Time; 8 count int32; 9 type string; 10 eventTime MicroTime; 11 series EventSeries; 12 action string; 13 related ObjectReference; 14 reportingComponent string; 15 reportingInstance string
EventSeries: 1 count int32; 2 lastObservedTime MicroTime
EventSource: 1 component string; 2 host string
ExecAction: 1 command []string
FCVolumeSource: 1 targetWWNs []string; 2 lun ?int32; 3 fsType string; 4 readOnly bool; 5 wwids []string
FlexVolumeSource: 1 driver string; 2 fsType string; 3 secretRef LocalObjectReference; 4 readOnly bool; 5 options map<string,string>
FlockerVolumeSource: 1 datasetName string; 2 datasetUUID string
GCEPersistentDiskVolumeSource: 1 pdName string; 2 fsType string; 3 partition int32; 4 readOnly bool
GRPCAction: 1 port int32; 2 service string
GitRepoVolumeSource: 1 repository string; 2 revision string; 3 directory string
GlusterfsVolumeSource: 1 endpoints string; 2 path string; 3 readOnly bool
HTTPGetAction: 1 path string; 2 port IntOrString; 3 host string; 4 scheme string; 5 httpHeaders []HTTPHeader
HTTPHeader: 1 name string; 2 value string
HostAlias: 1 ip string; 2 hostnames []string
HostIP: 1 ip string
HostPathVolumeSource: 1 path string; 2 type string
ISCSIVolumeSource: 1 targetPortal string; 2 iqn string; 3 lun int32; 4 iscsiInterface string; 5 fsType string; 6 readOnly bool; 7 portals []string; 8 chapAuthDiscovery bool; 11 chapAuthSession bool; 10 secretRef LocalObjectReference; 12 initiatorName string
ImageVolumeSource: 1 reference string; 2 pullPolicy string
KeyToPath: 1 key string; 2 path string; 3 mode ?int32
Lifecycle: 1 postStart LifecycleHandler; 2 preStop LifecycleHandler
LifecycleHandler: 1 exec ExecAction; 2 httpGet HTTPGetAction; 3 tcpSocket TCPSocketAction; 4 sleep SleepAction
LinuxContainerUser: 1 uid int64; 2 gid int64; 3 supplementalGroups []int64
LoadBalancerIngress: 1 ip string; 2 hostname string; 3 ipMode string; 4 ports []PortStatus
LoadBalancerStatus: 1 ingress []LoadBalancerIngress
LocalObjectReference: 1 name string
ModifyVolumeStatus: 1 targetVolumeAttributesClassName string; 2 status string
NFSVolumeSource: 1 server string; 2 path string; 3 readOnly bool
Namespace: 1 metadata ObjectMeta; 2 spec NamespaceSpec; 3 status NamespaceStatus
NamespaceCondition: 1 type string; 2 status string; 4 lastTransitionTime Time; 5 reason string; 6 message string
NamespaceSpec: 1 finalizers []string
NamespaceStatus: 1 phase string; 2 conditions []NamespaceCondition
Node: 1 metadata ObjectMeta; 2 spec NodeSpec; 3 status NodeStatus
NodeAddress: 1 type string; 2 address string
NodeAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution NodeSelector; 2 preferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm
NodeCondition: 1 type string; 2 status string; 3 lastHeartbeatTime Time; 4 lastTransitionTime Time; 5 reason string; 6 message string
NodeConfigSource: 2 configMap ConfigMapNodeConfigSource
NodeConfigStatus: 1 assigned NodeConfigSource; 2 active NodeConfigSource; 3 lastKnownGood NodeConfigSource; 4 error string
NodeDaemonEndpoints: 1 kubeletEndpoint DaemonEndpoint
NodeFeatures: 1 supplementalGroupsPolicy bool
NodeRuntimeHandler: 1 name string; 2 features NodeRuntimeHandlerFeatures
NodeRuntimeHandlerFeatures: 1 recursiveReadOnlyMounts bool; 2 userNamespaces bool
NodeSelector: 1 nodeSelectorTerms []NodeSelectorTerm
NodeSelectorRequirement: 1 key string; 2 operator string; 3 values []string
NodeSelectorTerm: 1 matchExpressions []NodeSelectorRequirement; 2 matchFields []NodeSelectorRequirement
NodeSpec: 1 podCIDR string; 7 podCIDRs []string; 3 providerID string; 4 unschedulable bool; 5 taints []Taint; 6 configSource NodeConfigSource; 2 externalID string
NodeStatus: 1 capacity map<string,Quantity>; 2 allocatable map<string,Quantity>; 3 phase string; 4 conditions []NodeCondition; 5 addresses []NodeAddress; 6 daemonEndpoints NodeDaemonEndpoints; 7 nodeInfo NodeSystemInfo; 8 images []ContainerImage; 9 volumesInUse []string; 10 volumesAttached []AttachedVolume; 11 config NodeConfigStatus; 12 runtimeHandlers []NodeRuntimeHandler; 13 features NodeFeatures
NodeSystemInfo: 1 machineID string; 2 systemUUID string; 3 bootID string; 4 kernelVersion string; 5 osImage string; 6 containerRuntimeVersion string; 7 kubeletVersion string; 8 kubeProxyVersion string; 9 operatingSystem string; 10 architecture string
ObjectFieldSelector: 1 apiVersion string; 2 fieldPath string
ObjectReference: 1 kind string; 2 namespace string; 3 name string; 4 uid string; 5 apiVersion string; 6 resourceVersion string; 7 fieldPath string
PersistentVolumeClaim: 1 metadata ObjectMeta; 2 spec PersistentVolumeClaimSpec; 3 status PersistentVolumeClaimStatus
PersistentVolumeClaimCondition: 1 type string; 2 status string; 3 lastProbeTime Time; 4 lastTransitionTime Time; 5 reason string; 6 message string
PersistentVolumeClaimSpec: 1 accessModes []string; 4 selector LabelSelector; 2 resources VolumeResourceRequirements; 3 volumeName string; 5 storageClassName string; 6 volumeMode string; 7 dataSource TypedLocalObjectReference; 8 dataSourceRef TypedObjectReference; 9 volumeAttributesClassName string
PersistentVolumeClaimStatus: 1 phase string; 2 accessModes []string; 3 capacity map<string,Quantity>; 4 conditions []PersistentVolumeClaimCondition; 5 allocatedResources map<string,Quantity>; 7 allocatedResourceStatuses map<string,string>; 8 currentVolumeAttributesClassName string; 9 modifyVolumeStatus ModifyVolumeStatus
PersistentVolumeClaimTemplate: 1 metadata ObjectMeta; 2 spec PersistentVolumeClaimSpec
PersistentVolumeClaimVolumeSource: 1 claimName string; 2 readOnly bool
PhotonPersistentDiskVolumeSource: 1 pdID string; 2 fsType string
Pod: 1 metadata ObjectMeta; 2 spec PodSpec; 3 status PodStatus
PodAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm; 2 preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm
PodAffinityTerm: 1 labelSelector LabelSelector; 2 namespaces []string; 3 topologyKey string; 4 namespaceSelector LabelSelector; 5 matchLabelKeys []string; 6 mismatchLabelKeys []string
PodAntiAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm; 2 preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm
PodCondition: 1 type string; 2 status string; 3 lastProbeTime Time; 4 lastTransitionTime Time; 5 reason string; 6 message string
PodDNSConfig: 1 nameservers []string; 2 searches []string; 3 options []PodDNSConfigOption
PodDNSConfigOption: 1 name string; 2 value string
PodIP: 1 ip string
PodOS: 1 name string
PodReadinessGate: 1 conditionType string
PodResourceClaim: 1 name string; 3 resourceClaimName string; 4 resourceClaimTemplateName string
PodResourceClaimStatus: 1 name string; 2 resourceClaimName string
PodSchedulingGate: 1 name string
PodSecurityContext: 1 seLinuxOptions SELinuxOptions; 8 windowsOptions WindowsSecurityContextOptions; 2 runAsUser ?int64; 6 runAsGroup ?int64; 3 runAsNonRoot ?bool; 4 supplementalGroups []int64; 12 supplementalGroupsPolicy ?string; 5 fsGroup ?int64; 7 sysctls []Sysctl; 9 fsGroupChangePolicy ?string; 10 seccompProfile SeccompProfile; 11 appArmorProfile AppArmorProfile; 13 seLinuxChangePolicy ?string
PodSpec: 1 volumes []Volume; 20 initContainers []Container; 2 containers []Container; 34 ephemeralContainers []EphemeralContainer; 3 restartPolicy string; 4 terminationGracePeriodSeconds ?int64; 5 activeDeadlineSeconds ?int64; 6 dnsPolicy string; 7 nodeSelector map<string,string>; 8 serviceAccountName string; 9 serviceAccount string; 21 automountServiceAccountToken ?bool; 10 nodeName string; 11 hostNetwork bool; 12 hostPID bool; 13 hostIPC bool; 27 shareProcessNamespace ?bool; 14 securityContext PodSecurityContext; 15 imagePullSecrets []LocalObjectReference; 16 hostname string; 17 subdomain string; 18 affinity Affinity; 19 schedulerName string; 22 tolerations []Toleration; 23 hostAliases []HostAlias; 24 priorityClassName string; 25 priority ?int32; 26 dnsConfig PodDNSConfig; 28 readinessGates []PodReadinessGate; 29 runtimeClassName ?string; 30 enableServiceLinks ?bool; 31 preemptionPolicy ?string; 32 overhead map<string,Quantity>; 33 topologySpreadConstraints []TopologySpreadConstraint; 35 setHostnameAsFQDN ?bool; 36 os PodOS; 37 hostUsers ?bool; 38 schedulingGates []PodSchedulingGate; 39 resourceClaims []PodResourceClaim; 40 resources ResourceRequirements
PodStatus: 1 phase string; 2 conditions []PodCondition; 3 message string; 4 reason string; 11 nominatedNodeName string; 5 hostIP string; 16 hostIPs []HostIP; 6 podIP string; 12 podIPs []PodIP; 7 startTime Time; 10 initContainerStatuses []ContainerStatus; 8 containerStatuses []ContainerStatus; 9 qosClass string; 13 ephemeralContainerStatuses []ContainerStatus; 14 resize string; 15 resourceClaimStatuses []PodResourceClaimStatus
PodTemplateSpec: 1 metadata ObjectMeta; 2 spec PodSpec
PortStatus: 1 port int32; 2 protocol string; 3 error string
PortworxVolumeSource: 1 volumeID string; 2 fsType string; 3 readOnly bool
PreferredSchedulingTerm: 1 weight int32; 2 preference NodeSelectorTerm
Probe: 1 handler ^ProbeHandler; 2 initialDelaySeconds int32; 3 timeoutSeconds int32; 4 periodSeconds int32; 5 successThreshold int32; 6 failureThreshold int32; 7 terminationGracePeriodSeconds ?int64
ProbeHandler: 1 exec ExecAction; 2 httpGet HTTPGetAction; 3 tcpSocket TCPSocketAction; 4 grpc GRPCAction
ProjectedVolumeSource: 1 sources []VolumeProjection; 2 defaultMode ?int32
QuobyteVolumeSource: 1 registry string; 2 volume string; 3 readOnly bool; 4 user string; 5 group string; 6 tenant string
RBDVolumeSource: 1 monitors []string; 2 image string; 3 fsType string; 4 pool string; 5 user string; 6 keyring string; 7 secretRef LocalObjectReference; 8 readOnly bool
ResourceClaim: 1 name string; 2 request string
ResourceFieldSelector: 1 containerName string; 2 resource string; 3 divisor Quantity
ResourceHealth: 1 resourceID string; 2 health string
ResourceRequirements: 1 limits map<string,Quantity>; 2 requests map<string,Quantity>; 3 claims []ResourceClaim
ResourceStatus: 1 name string; 2 resources []ResourceHealth
SELinuxOptions: 1 user string; 2 role string; 3 type string; 4 level string
ScaleIOVolumeSource: 1 gateway string; 2 system string; 3 secretRef LocalObjectReference; 4 sslEnabled bool; 5 protectionDomain string; 6 storagePool string; 7 storageMode string; 8 volumeName string; 9 fsType string; 10 readOnly bool
SeccompProfile: 1 type string; 2 localhostProfile string
SecretEnvSource: 1 localObjectReference LocalObjectReference; 2 optional ?bool
SecretKeySelector: 1 localObjectReference LocalObjectReference; 2 key string; 3 optional ?bool
SecretProjection: 1 localObjectReference LocalObjectReference; 2 items []KeyToPath; 4 optional ?bool
SecretVolumeSource: 1 secretName string; 2 items []KeyToPath; 3 defaultMode ?int32; 4 optional ?bool
SecurityContext: 1 capabilities Capabilities; 2 privileged ?bool; 3 seLinuxOptions SELinuxOptions; 10 windowsOptions WindowsSecurityContextOptions; 4 runAsUser ?int64; 8 runAsGroup ?int64; 5 runAsNonRoot ?bool; 6 readOnlyRootFilesystem ?bool; 7 allowPrivilegeEscalation ?bool; 9 procMount ?string; 11 seccompProfile SeccompProfile; 12 appArmorProfile AppArmorProfile
Service: 1 metadata ObjectMeta; 2 spec ServiceSpec; 3 status ServiceStatus
ServiceAccountTokenProjection: 1 audience string; 2 expirationSeconds ?int64; 3 path string
ServicePort: 1 name string; 2 protocol string; 6 appProtocol string; 3 port int32; 4 targetPort IntOrString; 5 nodePort int32
ServiceSpec: 1 ports []ServicePort; 2 selector map<string,string>; 3 clusterIP string; 18 clusterIPs []string; 4 type string; 5 externalIPs []string; 7 sessionAffinity string; 8 loadBalancerIP string; 9 loadBalancerSourceRanges []string; 10 externalName string; 11 externalTrafficPolicy string; 12 healthCheckNodePort int32; 13 publishNotReadyAddresses bool; 14 sessionAffinityConfig SessionAffinityConfig; 19 ipFamilies []string; 17 ipFamilyPolicy string; 20 allocateLoadBalancerNodePorts ?bool; 21 loadBalancerClass string; 22 internalTrafficPolicy string; 23 trafficDistribution string
ServiceStatus: 1 loadBalancer LoadBalancerStatus; 2 conditions []Condition
SessionAffinityConfig: 1 clientIP ClientIPConfig
SleepAction: 1 seconds int64
StorageOSVolumeSource: 1 volumeName string; 2 volumeNamespace string; 3 fsType string; 4 readOnly bool; 5 secretRef LocalObjectReference
Sysctl: 1 name string; 2 value string
TCPSocketAction: 1 port IntOrString; 2 host string
Taint: 1 key string; 2 value string; 3 effect string; 4 timeAdded Time
Toleration: 1 key string; 2 operator string; 3 value string; 4 effect string; 5 tolerationSeconds ?int64
TopologySpreadConstraint: 1 maxSkew int32; 2 topologyKey string; 3 whenUnsatisfiable string; 4 labelSelector LabelSelector; 5 minDomains ?int32; 6 nodeAffinityPolicy string; 7 nodeTaintsPolicy string; 8 matchLabelKeys []string
TypedLocalObjectReference: 1 apiGroup string; 2 kind string; 3 name string
TypedObjectReference: 1 apiGroup string; 2 kind string; 3 name string; 4 namespace string
Volume: 1 name string; 2 volumeSource ^VolumeSource
VolumeDevice: 1 name string; 2 devicePath string
VolumeMount: 1 name string; 2 readOnly bool; 7 recursiveReadOnly string; 3 mountPath string; 4 subPath string; 5 mountPropagation string; 6 subPathExpr string
VolumeMountStatus: 1 name string; 2 mountPath string; 3 readOnly bool; 4 recursiveReadOnly string
VolumeProjection: 1 secret SecretProjection; 2 downwardAPI DownwardAPIProjection; 3 configMap ConfigMapProjection; 4 serviceAccountToken ServiceAccountTokenProjection; 5 clusterTrustBundle ClusterTrustBundleProjection
VolumeResourceRequirements: 1 limits map<string,Quantity>; 2 requests map<string,Quantity>
VolumeSource: 1 hostPath HostPathVolumeSource; 2 emptyDir EmptyDirVolumeSource; 3 gcePersistentDisk GCEPersistentDiskVolumeSource; 4 awsElasticBlockStore AWSElasticBlockStoreVolumeSource; 5 gitRepo GitRepoVolumeSource; 6 secret SecretVolumeSource; 7 nfs NFSVolumeSource; 8 iscsi ISCSIVolumeSource; 9 glusterfs GlusterfsVolumeSource; 10 persistentVolumeClaim PersistentVolumeClaimVolumeSource; 11 rbd RBDVolumeSource; 12 flexVolume FlexVolumeSource; 13 cinder CinderVolumeSource; 14 cephfs CephFSVolumeSource; 15 flocker FlockerVolumeSource; 16 downwardAPI DownwardAPIVolumeSource; 17 fc FCVolumeSource; 18 azureFile AzureFileVolumeSource; 19 configMap ConfigMapVolumeSource; 20 vsphereVolume VsphereVirtualDiskVolumeSource; 21 quobyte QuobyteVolumeSource; 22 azureDisk AzureDiskVolumeSource; 23 photonPersistentDisk PhotonPersistentDiskVolumeSource; 26 projected ProjectedVolumeSource; 24 portworxVolume PortworxVolumeSource; 25 scaleIO ScaleIOVolumeSource; 27 storageos StorageOSVolumeSource; 28 csi CSIVolumeSource; 29 ephemeral EphemeralVolumeSource; 30 image ImageVolumeSource
VsphereVirtualDiskVolumeSource: 1 volumePath string; 2 fsType string; 3 storagePolicyName string; 4 storagePolicyID string
WeightedPodAffinityTerm: 1 weight int32; 2 podAffinityTerm PodAffinityTerm
WindowsSecurityContextOptions: 1 gmsaCredentialSpecName string; 2 gmsaCredentialSpec string; 3 runAsUserName string; 4 hostProcess ?bool
ControllerRevision: 1 metadata ObjectMeta; 2 data RawExtension; 3 revision int64
Deployment: 1 metadata ObjectMeta; 2 spec DeploymentSpec; 3 status DeploymentStatus
DeploymentCondition: 1 type string; 2 status string; 6 lastUpdateTime Time; 7 lastTransitionTime Time; 4 reason string; 5 message string
DeploymentSpec: 1 replicas ?int32; 2 selector LabelSelector; 3 template PodTemplateSpec; 4 strategy DeploymentStrategy; 5 minReadySeconds int32; 6 revisionHistoryLimit ?int32; 7 paused bool; 9 progressDeadlineSeconds ?int32
DeploymentStatus: 1 observedGeneration int64; 2 replicas int32; 3 updatedReplicas int32; 7 readyReplicas int32; 4 availableReplicas int32; 5 unavailableReplicas int32; 6 conditions []DeploymentCondition; 8 collisionCount ?int32
DeploymentStrategy: 1 type string; 2 rollingUpdate RollingUpdateDeployment
ReplicaSet: 1 metadata ObjectMeta; 2 spec ReplicaSetSpec; 3 status ReplicaSetStatus
ReplicaSetCondition: 1 type string; 2 status string; 3 lastTransitionTime Time; 4 reason string; 5 message string
ReplicaSetSpec: 1 replicas ?int32; 4 minReadySeconds int32; 2 selector LabelSelector; 3 template PodTemplateSpec
ReplicaSetStatus: 1 replicas int32; 2 fullyLabeledReplicas int32; 4 readyReplicas int32; 5 availableReplicas int32; 3 observedGeneration int64; 6 conditions []ReplicaSetCondition
RollingUpdateDeployment: 1 maxUnavailable ?IntOrString; 2 maxSurge ?IntOrString
RollingUpdateStatefulSetStrategy: 1 partition ?int32; 2 maxUnavailable ?IntOrString
StatefulSet: 1 metadata ObjectMeta; 2 spec StatefulSetSpec; 3 status StatefulSetStatus
StatefulSetCondition: 1 type string; 2 status string; 3 lastTransitionTime Time; 4 reason string; 5 message string
StatefulSetOrdinals: 1 start int32
StatefulSetPersistentVolumeClaimRetentionPolicy: 1 whenDeleted string; 2 whenScaled string
StatefulSetSpec: 1 replicas ?int32; 2 selector LabelSelector; 3 template PodTemplateSpec; 4 volumeClaimTemplates []PersistentVolumeClaim; 5 serviceName string; 6 podManagementPolicy string; 7 updateStrategy StatefulSetUpdateStrategy; 8 revisionHistoryLimit ?int32; 9 minReadySeconds int32; 10 persistentVolumeClaimRetentionPolicy StatefulSetPersistentVolumeClaimRetentionPolicy; 11 ordinals StatefulSetOrdinals
StatefulSetStatus: 1 observedGeneration int64; 2 replicas int32; 3 readyReplicas int32; 4 currentReplicas int32; 5 updatedReplicas int32; 6 currentRevision string; 7 updateRevision string; 9 collisionCount ?int32; 10 conditions []StatefulSetCondition; 11 availableReplicas int32
StatefulSetUpdateStrategy: 1 type string; 2 rollingUpdate RollingUpdateStatefulSetStrategy
Condition: 1 type string; 2 status string; 3 observedGeneration int64; 4 lastTransitionTime Time; 5 reason string; 6 message string
LabelSelector: 1 matchLabels map<string,string>; 2 matchExpressions []LabelSelectorRequirement
LabelSelectorRequirement: 1 key string; 2 operator string; 3 values []string
ManagedFieldsEntry: 1 manager string; 2 operation string; 3 apiVersion string; 4 time Time; 6 fieldsType string; 7 fieldsV1 FieldsV1; 8 subresource string
ObjectMeta: 1 name string; 2 generateName string; 3 namespace string; 4 selfLink string; 5 uid string; 6 resourceVersion string; 7 generation int64; 8 creationTimestamp Time; 9 deletionTimestamp Time; 10 deletionGracePeriodSeconds ?int64; 11 labels map<string,string>; 12 annotations map<string,string>; 13 ownerReferences []OwnerReference; 14 finalizers []string; 17 managedFields []ManagedFieldsEntry
OwnerReference: 5 apiVersion string; 1 kind string; 3 name string; 4 uid string; 6 controller ?bool; 7 blockOwnerDeletion ?bool
Lease: 1 metadata ObjectMeta; 2 spec LeaseSpec
LeaseSpec: 1 holderIdentity string; 2 leaseDurationSeconds ?int32; 3 acquireTime MicroTime; 4 renewTime MicroTime; 5 leaseTransitions ?int32; 6 strategy string; 7 preferredHolder string
Endpoint: 1 addresses []string; 2 conditions EndpointConditions; 3 hostname string; 4 targetRef ObjectReference; 5 deprecatedTopology map<string,string>; 6 nodeName string; 7 zone string; 8 hints EndpointHints
EndpointConditions: 1 ready ?bool; 2 serving ?bool; 3 terminating ?bool
EndpointHints: 1 forZones []ForZone
discovery.v1.EndpointPort: 1 name ?string; 2 protocol ?string; 3 port ?int32; 4 appProtocol ?string
EndpointSlice: 1 metadata ObjectMeta; 4 addressType string; 2 endpoints []Endpoint; 3 ports []discovery.v1.EndpointPort
ForZone: 1 name string
`;

// ---------------------------------------------------------------------------------------------
// Schema parsing (once, lazily).

type Scalar = 'string' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'bytes' | 'double' | 'float';
const SCALARS = new Set<string>(['string', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'bytes', 'double', 'float']);
const SPECIALS = new Set<string>(['Time', 'MicroTime', 'IntOrString', 'Quantity', 'FieldsV1', 'RawExtension']);

interface FieldDef {
  num: number;
  name: string;
  /** A scalar, a special type, a message name, or 'map'. */
  type: string;
  repeated: boolean;
  pointer: boolean;
  inline: boolean;
  mapKey?: Scalar;
  mapValue?: string;
}

type MessageDef = Map<number, FieldDef>;

let parsed: Map<string, MessageDef> | undefined;

function schema(): Map<string, MessageDef> {
  if (parsed) return parsed;
  const messages = new Map<string, MessageDef>();
  for (const line of SCHEMA.split('\n')) {
    if (!line.trim()) continue;
    const colon = line.indexOf(': ');
    const name = line.slice(0, colon);
    const fields: MessageDef = new Map();
    for (const f of line.slice(colon + 2).split('; ')) {
      const [num, fname, rawType] = f.split(' ');
      let t = rawType;
      let repeated = false;
      let pointer = false;
      let inline = false;
      for (;;) {
        if (t.startsWith('[]')) { repeated = true; t = t.slice(2); } else if (t.startsWith('?')) { pointer = true; t = t.slice(1); } else if (t.startsWith('^')) { inline = true; t = t.slice(1); } else break;
      }
      const def: FieldDef = { num: Number(num), name: fname, type: t, repeated, pointer, inline };
      const m = /^map<(\w+),([\w.]+)>$/.exec(t);
      if (m) { def.type = 'map'; def.mapKey = m[1] as Scalar; def.mapValue = m[2]; }
      fields.set(def.num, def);
    }
    messages.set(name, fields);
  }
  // Every referenced type must resolve: a schema typo is a bug, not a request error.
  for (const [mname, fields] of messages) {
    for (const f of fields.values()) {
      const ref = f.type === 'map' ? f.mapValue! : f.type;
      if (!SCALARS.has(ref) && !SPECIALS.has(ref) && !messages.has(ref)) throw new Error(`protobuf schema: ${mname}.${f.name} references unknown type ${ref}`);
    }
  }
  parsed = messages;
  return messages;
}

// ---------------------------------------------------------------------------------------------
// Wire reading. Errors are gogo-protobuf's (k8s generated.pb.go) texts.

class ProtoError extends Error {}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

class Reader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }
  done(): boolean { return this.pos >= this.end; }
  /** An unsigned 64-bit varint; at most 10 bytes, bits past 64 dropped, as gogo does. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 64n) throw new ProtoError('proto: integer overflow');
      if (this.pos >= this.end) throw new ProtoError('unexpected EOF');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
  }
  /** A length prefix checked against the remaining bytes. */
  length(): number {
    const n = BigInt.asIntN(64, this.varint());
    if (n < 0n) throw new ProtoError('proto: negative length found during unmarshaling');
    if (n > BigInt(this.end - this.pos)) throw new ProtoError('unexpected EOF');
    return Number(n);
  }
  bytes(): Uint8Array {
    const n = this.length();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  fixed(n: 4 | 8): DataView {
    if (this.end - this.pos < n) throw new ProtoError('unexpected EOF');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }
  /** skipGenerated for an unknown field; groups are not used by Kubernetes and are rejected. */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT: this.varint(); return;
      case WIRE_FIXED64: this.fixed(8); return;
      case WIRE_BYTES: this.bytes(); return;
      case WIRE_FIXED32: this.fixed(4); return;
      case WIRE_START_GROUP: throw new ProtoError('proto: groups are not supported');
      case WIRE_END_GROUP: throw new ProtoError('proto: unexpected end of group');
      default: throw new ProtoError(`proto: illegal wireType ${wire}`);
    }
  }
}

interface Tag { num: number; wire: number }

function readTag(r: Reader, message: string): Tag {
  const key = r.varint();
  const num = Number(key >> 3n);
  const wire = Number(key & 7n);
  if (wire === WIRE_END_GROUP) throw new ProtoError(`proto: ${message}: wiretype end group for non-group`);
  if (num <= 0 || key >> 3n > 0x7fffffffn) throw new ProtoError(`proto: ${message}: illegal tag ${num} (wire type ${wire})`);
  return { num, wire };
}

const utf8 = new TextDecoder('utf-8');

function goFieldName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Values.

function scalarWire(t: Scalar): number {
  switch (t) {
    case 'string':
    case 'bytes': return WIRE_BYTES;
    case 'double': return WIRE_FIXED64;
    case 'float': return WIRE_FIXED32;
    default: return WIRE_VARINT;
  }
}

function readScalar(r: Reader, t: Scalar): unknown {
  switch (t) {
    case 'string': return utf8.decode(r.bytes());
    case 'bytes': return Buffer.from(r.bytes()).toString('base64');
    case 'bool': return r.varint() !== 0n;
    case 'int32': return Number(BigInt.asIntN(32, r.varint()));
    case 'uint32': return Number(BigInt.asUintN(32, r.varint()));
    case 'int64': return Number(BigInt.asIntN(64, r.varint()));
    case 'uint64': return Number(r.varint());
    case 'double': return r.fixed(8).getFloat64(0, true);
    case 'float': return r.fixed(4).getFloat32(0, true);
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * metav1.Time / MicroTime: {1 seconds, 2 nanos}. gogo always writes a non-pointer Time, as zero bytes when it is
 * the zero time, and Go's JSON prints that as null (`creationTimestamp: null`, exactly what kubectl's own JSON has).
 */
function readTime(r: Reader, micro: boolean): string | null {
  const body = r.bytes();
  if (body.length === 0) return null;
  const sub = new Reader(body);
  let seconds = 0n;
  let nanos = 0n;
  while (!sub.done()) {
    const { num, wire } = readTag(sub, 'Timestamp');
    if ((num === 1 || num === 2) && wire !== WIRE_VARINT) throw new ProtoError(`proto: wrong wireType = ${wire} for field ${num === 1 ? 'Seconds' : 'Nanos'}`);
    if (num === 1) seconds = BigInt.asIntN(64, sub.varint());
    else if (num === 2) nanos = BigInt.asIntN(32, sub.varint());
    else sub.skip(wire);
  }
  const total = seconds * 1_000_000_000n + nanos; // time.Unix normalizes nanos outside [0, 1e9)
  const ms = total >= 0n ? total / 1_000_000n : -((-total + 999_999n) / 1_000_000n);
  const d = new Date(Number(ms));
  const year = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || year < 0 || year > 9999) throw new ProtoError('Time.MarshalJSON: year outside of range [0,9999]');
  const base = `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (!micro) return `${base}Z`;
  const frac = ((total % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return `${base}.${pad(Number(frac / 1000n), 6)}Z`;
}

/** intstr.IntOrString: {1 type (0 Int, 1 String), 2 intVal, 3 strVal} → a JSON number or string. */
function readIntOrString(r: Reader): number | string {
  const sub = new Reader(r.bytes());
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  while (!sub.done()) {
    const { num, wire } = readTag(sub, 'IntOrString');
    const want = num === 3 ? WIRE_BYTES : WIRE_VARINT;
    if (num >= 1 && num <= 3 && wire !== want) throw new ProtoError(`proto: wrong wireType = ${wire} for field ${['', 'Type', 'IntVal', 'StrVal'][num]}`);
    if (num === 1) type = BigInt.asIntN(64, sub.varint());
    else if (num === 2) intVal = Number(BigInt.asIntN(32, sub.varint()));
    else if (num === 3) strVal = utf8.decode(sub.bytes());
    else sub.skip(wire);
  }
  if (type === 0n) return intVal;
  if (type === 1n) return strVal;
  throw new ProtoError('impossible IntOrString.Type');
}

/** A message with one bytes/string field 1 (Quantity, FieldsV1, RawExtension). */
function readSingle(r: Reader, message: string, goField: string): Uint8Array | undefined {
  const sub = new Reader(r.bytes());
  let value: Uint8Array | undefined;
  while (!sub.done()) {
    const { num, wire } = readTag(sub, message);
    if (num === 1) {
      if (wire !== WIRE_BYTES) throw new ProtoError(`proto: wrong wireType = ${wire} for field ${goField}`);
      value = sub.bytes();
    } else {
      sub.skip(wire);
    }
  }
  return value;
}

function readJSONBytes(r: Reader, message: string, goField: string): unknown {
  const raw = readSingle(r, message, goField);
  if (raw === undefined || raw.length === 0) return null;
  try {
    return JSON.parse(utf8.decode(raw));
  } catch (e) {
    throw new ProtoError(`${message} is not valid JSON: ${(e as Error).message}`);
  }
}

function readSpecial(r: Reader, t: string): unknown {
  switch (t) {
    case 'Time': return readTime(r, false);
    case 'MicroTime': return readTime(r, true);
    case 'IntOrString': return readIntOrString(r);
    case 'Quantity': {
      const s = readSingle(r, 'Quantity', 'String_');
      return s === undefined ? '0' : utf8.decode(s);
    }
    case 'FieldsV1': return readJSONBytes(r, 'FieldsV1', 'Raw');
    case 'RawExtension': return readJSONBytes(r, 'RawExtension', 'Raw');
  }
  throw new ProtoError(`unknown special type ${t}`);
}

function zeroOf(t: string): unknown {
  switch (t) {
    case 'string':
    case 'bytes': return '';
    case 'bool': return false;
    case 'Quantity': return '0';
    case 'IntOrString': return 0;
    default: return SCALARS.has(t) ? 0 : {};
  }
}

function readValue(r: Reader, t: string): unknown {
  if (SCALARS.has(t)) return readScalar(r, t as Scalar);
  if (SPECIALS.has(t)) return readSpecial(r, t);
  return decodeMessage(t, r.bytes(), {});
}

function readMapEntry(r: Reader, f: FieldDef): [string, unknown] {
  const sub = new Reader(r.bytes());
  let key: unknown = zeroOf(f.mapKey!);
  let value: unknown = zeroOf(f.mapValue!);
  const valueWire = SCALARS.has(f.mapValue!) ? scalarWire(f.mapValue as Scalar) : WIRE_BYTES;
  while (!sub.done()) {
    const { num, wire } = readTag(sub, `${goFieldName(f.name)}Entry`);
    if (num === 1) {
      if (wire !== scalarWire(f.mapKey!)) throw new ProtoError(`proto: wrong wireType = ${wire} for field key`);
      key = readScalar(sub, f.mapKey!);
    } else if (num === 2) {
      if (wire !== valueWire) throw new ProtoError(`proto: wrong wireType = ${wire} for field value`);
      value = readValue(sub, f.mapValue!);
    } else {
      sub.skip(wire);
    }
  }
  return [String(key), value];
}

/** Decodes one message into `target` (proto merge semantics: later fields override or append). */
function decodeMessage(name: string, body: Uint8Array, target: Record<string, unknown>): Record<string, unknown> {
  const fields = schema().get(name)!;
  const r = new Reader(body);
  while (!r.done()) {
    const { num, wire } = readTag(r, name);
    const f = fields.get(num);
    if (!f) {
      r.skip(wire);
      continue;
    }
    const scalar = SCALARS.has(f.type) ? (f.type as Scalar) : undefined;
    if (f.type === 'map') {
      if (wire !== WIRE_BYTES) throw new ProtoError(`proto: wrong wireType = ${wire} for field ${goFieldName(f.name)}`);
      const [k, v] = readMapEntry(r, f);
      const m = (target[f.name] ?? {}) as Record<string, unknown>;
      m[k] = v;
      target[f.name] = m;
      continue;
    }
    if (f.repeated && scalar && wire === WIRE_BYTES && scalarWire(scalar) !== WIRE_BYTES) {
      // Packed repeated scalars.
      const packed = new Reader(r.bytes());
      const list = (target[f.name] ?? []) as unknown[];
      while (!packed.done()) list.push(readScalar(packed, scalar));
      target[f.name] = list;
      continue;
    }
    const want = scalar ? scalarWire(scalar) : WIRE_BYTES;
    if (wire !== want) throw new ProtoError(`proto: wrong wireType = ${wire} for field ${goFieldName(f.name)}`);
    if (f.repeated) {
      const list = (target[f.name] ?? []) as unknown[];
      const v = readValue(r, f.type);
      list.push(v === undefined ? null : v);
      target[f.name] = list;
      continue;
    }
    if (!scalar && !SPECIALS.has(f.type)) {
      // Embedded messages merge into what an earlier occurrence decoded; inlined ones into the parent itself.
      const into = f.inline ? target : ((target[f.name] ?? {}) as Record<string, unknown>);
      decodeMessage(f.type, r.bytes(), into);
      if (!f.inline) target[f.name] = into;
      continue;
    }
    const v = readValue(r, f.type);
    if (v === undefined || (!f.pointer && isZero(v) && f.type !== 'IntOrString') || (f.type === 'IntOrString' && !f.pointer && v === 0)) {
      delete target[f.name];
    } else {
      target[f.name] = v;
    }
  }
  return target;
}

// ---------------------------------------------------------------------------------------------
// The envelope.

/** apiserver's summarizeData: the first 30 bytes, as text when it looks like JSON, else hex. */
function summarize(data: Uint8Array): string {
  if (data.length === 0) return '<empty>';
  const head = data.subarray(0, 30);
  const more = data.length > 30 ? ' ...' : '';
  return data[0] === 0x7b ? utf8.decode(head) + more : Buffer.from(head).toString('hex') + more;
}

function unrecognized(err: string, body: Uint8Array): StatusError {
  return badRequest(`the object provided is unrecognized: ${err} (${summarize(body)})`);
}

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body into a JSON-shaped object with apiVersion and
 * kind. Throws StatusError 400 BadRequest for anything malformed, 415 UnsupportedMediaType for a kind or an
 * envelope encoding we cannot decode. Never throws anything else.
 */
export function decodeProtobufObject(body: Uint8Array): KObject {
  try {
    return decodeEnvelope(body);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw unrecognized(e instanceof Error ? e.message : String(e), body);
  }
}

function decodeEnvelope(body: Uint8Array): KObject {
  if (body.length === 0) throw unrecognized('empty data', body);
  if (body.length < 4 || body[0] !== 0x6b || body[1] !== 0x38 || body[2] !== 0x73 || body[3] !== 0x00) {
    throw unrecognized('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]', body);
  }
  if (body.length === 4) throw unrecognized('empty body', body);

  // runtime.Unknown
  const r = new Reader(body, 4);
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  let contentType = '';
  try {
    while (!r.done()) {
      const { num, wire } = readTag(r, 'Unknown');
      if (num >= 1 && num <= 4 && wire !== WIRE_BYTES) throw new ProtoError(`proto: wrong wireType = ${wire} for field ${['', 'TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'][num]}`);
      if (num === 1) {
        const tm = new Reader(r.bytes());
        while (!tm.done()) {
          const t = readTag(tm, 'TypeMeta');
          if ((t.num === 1 || t.num === 2) && t.wire !== WIRE_BYTES) throw new ProtoError(`proto: wrong wireType = ${t.wire} for field ${t.num === 1 ? 'APIVersion' : 'Kind'}`);
          if (t.num === 1) apiVersion = utf8.decode(tm.bytes());
          else if (t.num === 2) kind = utf8.decode(tm.bytes());
          else tm.skip(t.wire);
        }
      } else if (num === 2) {
        raw = r.bytes();
      } else if (num === 3) {
        contentEncoding = utf8.decode(r.bytes());
      } else if (num === 4) {
        contentType = utf8.decode(r.bytes());
      } else {
        r.skip(wire);
      }
    }
  } catch (e) {
    if (e instanceof ProtoError) throw unrecognized(e.message, body);
    throw e;
  }

  if (kind === '') throw badRequest(`Object 'Kind' is missing in '${summarize(body)}'`);
  if (contentEncoding !== '') {
    throw new StatusError(415, 'UnsupportedMediaType', `protobuf bodies with contentEncoding "${contentEncoding}" are not supported; send the object as application/json`);
  }
  if (contentType !== '' && contentType !== PROTOBUF_CONTENT_TYPE) {
    throw new StatusError(415, 'UnsupportedMediaType', `protobuf envelope with contentType "${contentType}" is not supported; send the object as application/json`);
  }
  const root = PROTOBUF_KINDS[`${apiVersion}/${kind}`];
  if (!root) {
    throw new StatusError(415, 'UnsupportedMediaType',
      `kubedisco cannot decode protobuf bodies of ${apiVersion || '<no apiVersion>'}, Kind=${kind}; send the object as JSON instead (for example: kubectl create -f <file>.yaml)`,
      { kind, causes: [{ message: PROTOBUF_CONTENT_TYPE }] });
  }
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeMessage(root, raw, {});
  } catch (e) {
    if (e instanceof ProtoError) throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${e.message}`);
    throw e;
  }
  const obj = { apiVersion, kind, ...decoded } as KObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  return obj;
}

// ---------------------------------------------------------------------------------------------
// Introspection for tests and tools.

/** The schema's messages (name → fields), e.g. to build test encoders. */
export function protobufSchema(): ReadonlyMap<string, ReadonlyMap<number, Readonly<FieldDef>>> {
  return schema();
}
