// Test fixtures for schema.test.ts: the seed manifests (/work/shared/seeds) and kubectl/kube-apiserver shaped bodies.
// Every object here is valid for kube-apiserver v1.32 and must yield no strict decoding error.

/** Seed manifests. 000 and 001 lost their indentation in the seed text; they are re-indented here, otherwise verbatim. */
export const SEED_YAML: Record<string, string> = {
  // seed 000: "Normal ClusterIP Service example" / "Headless Service example" / cassandra / mongodb-test
  '000 my-service ClusterIP': `
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app: MyApp
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
  type: ClusterIP
`,
  '000 my-service headless': `
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app: MyApp
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
  type: ClusterIP
  clusterIP: None
`,
  '000 cassandra Service': `
apiVersion: v1
kind: Service
metadata:
  labels:
    app: cassandra
  name: cassandra
spec:
  clusterIP: None
  ports:
  - port: 9042
  selector:
    app: cassandra
`,
  '000 mongodb-test Service': `
apiVersion: v1
kind: Service
metadata:
  name: mongodb-test
  labels:
    app: database
spec:
  clusterIP: None
  selector:
    app: database
`,
  // seed 001
  '001 cassandra Service (cql)': `
apiVersion: v1
kind: Service
metadata:
  name: cassandra
spec:
  clusterIP: None
  selector:
    app: cassandra
  ports:
  - name: cql
    port: 9042
    targetPort: 9042
`,
  '001 cassandra Service + StatefulSet': `
apiVersion: v1
kind: Service
metadata:
  name: cassandra
spec:
  clusterIP: None
  selector:
    app: cassandra
  ports:
  - port: 9042
    targetPort: 9042
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cassandra
spec:
  serviceName: cassandra # must match the headless Service name
  replicas: 3
  selector:
    matchLabels:
      app: cassandra
  template:
    metadata:
      labels:
        app: cassandra
    spec:
      containers:
      - name: cassandra
        image: cassandra:4.1
        ports:
        - containerPort: 9042
          name: cql
`,
  '001 grpc-client-config ConfigMap': `
apiVersion: v1
kind: ConfigMap
metadata:
  name: grpc-client-config
data:
  config.yaml: |
    target: dns:///my-grpc-service.default.svc.cluster.local:50051
    loadBalancingPolicy: round_robin
`,
  '001 external-db Service + Endpoints': `
apiVersion: v1
kind: Service
metadata:
  name: external-db
spec:
  clusterIP: None
  ports:
  - port: 5432
---
apiVersion: v1
kind: Endpoints
metadata:
  name: external-db # must match Service name
subsets:
- addresses:
  - ip: 10.0.0.50
  - ip: 10.0.0.51
  ports:
  - port: 5432
`,
  // seed 002 (verbatim)
  '002 Deployment app': `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels:
    app: server
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:alpine
        ports:
        - containerPort: 80
`,
  '002 regular-svc': `
apiVersion: v1
kind: Service
metadata:
  name: regular-svc
spec:
  selector:
    app: web
  ports:
    - protocol: TCP
      port: 80
      targetPort: 8080
`,
  '002 headless-svc': `
apiVersion: v1
kind: Service
metadata:
  name: headless-svc
spec:
  clusterIP: None # <= Don't forget!!
  selector:
    app: web
  ports:
    - protocol: TCP
      port: 80
      targetPort: 8080
`,
  // seed 003 (verbatim)
  '003 my-headless-service': `
apiVersion: v1
kind: Service
metadata:
  name: my-headless-service
spec:
  clusterIP: None
  selector:
    app: myapp
  ports:
  - port: 80
`,
  // seed 004: the openldap Service verbatim; the tolerate-unready snippet completed into a whole Service.
  '004 openldap': `
apiVersion: v1
kind: Service
metadata:
  labels:
    app.kubernetes.io/instance: cb-openldap
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/name: openldap-ha
  name: openldap
spec:
  clusterIP: None  # makes the service headless
  ports:
  - name: ldap
    port: 389
    protocol: TCP
    targetPort: 389
  selector:
    app.kubernetes.io/instance: cb-openldap
    app.kubernetes.io/name: openldap-ha
  sessionAffinity: None
  type: ClusterIP
`,
  '004 tolerate-unready-endpoints': `
apiVersion: v1
kind: Service
metadata:
  name: redis-ha-announce-0
  annotations:
    service.alpha.kubernetes.io/tolerate-unready-endpoints: "true"
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    app: redis-ha
  ports:
  - name: server
    port: 6379
    protocol: TCP
    targetPort: redis
`,
};

/** kubectl-compatibility.md §3.11: the body `kubectl run nginx --image=nginx:1.27 --labels=app=web --port=8080` POSTs. */
export const KUBECTL_RUN_BODY =
  '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"nginx","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":8080}],"resources":{}}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst"},"status":{}}';

const T = '2025-01-02T03:04:05Z';

const managed = (manager: string, fieldsV1: unknown, subresource?: string) => ({
  manager, operation: 'Update', apiVersion: 'v1', time: T, fieldsType: 'FieldsV1', fieldsV1, ...(subresource ? { subresource } : {}),
});

/** Objects shaped as kube-apiserver v1.32 returns them (defaults, status, managedFields), one per kind. */
export const SERVER_OBJECTS: Array<{ name: string; obj: Record<string, unknown> }> = [
  {
    name: 'Pod from kubectl run, after scheduling and kubelet status',
    obj: {
      kind: 'Pod', apiVersion: 'v1',
      metadata: {
        name: 'nginx', namespace: 'default', uid: '0b1f3f0e-1111-2222-3333-444455556666', resourceVersion: '4242',
        creationTimestamp: T, labels: { app: 'web' },
        managedFields: [
          managed('kubectl-run', { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {} } } } }),
          managed('kubelet', { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {} } }, 'f:podIP': {} } }, 'status'),
        ],
      },
      spec: {
        volumes: [{
          name: 'kube-api-access-abcde',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
            defaultMode: 420,
          },
        }],
        containers: [{
          name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: {},
          volumeMounts: [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
          terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
        }],
        restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
        serviceAccountName: 'default', serviceAccount: 'default', nodeName: 'node-1', securityContext: {},
        schedulerName: 'default-scheduler',
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
      },
      status: {
        phase: 'Running',
        conditions: [
          { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: T },
          { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: T },
        ],
        hostIP: '10.244.0.1', hostIPs: [{ ip: '10.244.0.1' }], podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }],
        startTime: T,
        containerStatuses: [{
          name: 'nginx', state: { running: { startedAt: T } }, lastState: {}, ready: true, restartCount: 0,
          image: 'docker.io/library/nginx:1.27', imageID: 'docker.io/library/nginx@sha256:abc', containerID: 'containerd://abc',
          started: true,
          volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }],
        }],
        qosClass: 'BestEffort',
      },
    },
  },
  {
    name: 'Pod with the full PodSpec surface (probes, lifecycle, env, affinity, spread, dnsConfig, security)',
    obj: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'full', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true }], finalizers: ['x/y'], annotations: { a: 'b' } },
      spec: {
        hostname: 'web-0', subdomain: 'web', setHostnameAsFQDN: false, hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }],
        nodeSelector: { 'kubernetes.io/os': 'linux' }, readinessGates: [{ conditionType: 'example.com/ready' }],
        dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] },
        securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000, runAsNonRoot: true, supplementalGroups: [3000], supplementalGroupsPolicy: 'Merge', seLinuxChangePolicy: 'Recursive', fsGroupChangePolicy: 'OnRootMismatch', sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }], seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' } },
        affinity: {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] }, preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n'] }] } }] },
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['pod-template-hash'] } }] },
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, namespaceSelector: {}, topologyKey: 'zone' }] },
        },
        tolerations: [{ operator: 'Exists' }],
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, minDomains: 2, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', matchLabelKeys: ['pod-template-hash'] }],
        imagePullSecrets: [{ name: 'regcred' }], os: { name: 'linux' }, schedulingGates: [{ name: 'gate' }],
        resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }],
        resources: { limits: { cpu: '2' } }, overhead: { cpu: '10m' }, runtimeClassName: 'runc', hostUsers: false,
        initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], restartPolicy: 'Always' }],
        ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'web', stdin: true, tty: true }],
        containers: [{
          name: 'web', image: 'nginx', args: ['-g', 'daemon off;'], workingDir: '/',
          env: [
            { name: 'A', value: '1' },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'CPU', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.cpu', divisor: '1m' } } },
            { name: 'CM', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: true } } },
            { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          ],
          envFrom: [{ prefix: 'X_', configMapRef: { name: 'cm' } }, { secretRef: { name: 's', optional: true } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.1 }, claims: [{ name: 'gpu', request: 'r' }] },
          resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X', value: 'y' }] }, initialDelaySeconds: 3, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3, terminationGracePeriodSeconds: 5 },
          readinessProbe: { tcpSocket: { port: 80 } },
          startupProbe: { grpc: { port: 9000, service: 'health' } },
          lifecycle: { postStart: { exec: { command: ['true'] } }, preStop: { sleep: { seconds: 5 } } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, procMount: 'Default', seLinuxOptions: { level: 's0:c1' }, windowsOptions: { runAsUserName: 'u' } },
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP', hostPort: 8080, hostIP: '0.0.0.0' }],
          volumeMounts: [{ name: 'data', mountPath: '/data', subPath: 'x', mountPropagation: 'None', recursiveReadOnly: 'Disabled' }, { name: 'cfg', mountPath: '/cfg', subPathExpr: '$(POD)' }],
          volumeDevices: [{ name: 'blk', devicePath: '/dev/xvda' }],
          terminationMessagePolicy: 'FallbackToLogsOnError', stdinOnce: false,
        }],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'data-web-0', readOnly: false } },
          { name: 'cfg', configMap: { name: 'cm', defaultMode: 0o644, optional: true, items: [{ key: 'a', path: 'a', mode: 0o600 }] } },
          { name: 'sec', secret: { secretName: 's', items: [{ key: 'k', path: 'p' }] } },
          { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
          { name: 'dapi', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'nfs', nfs: { server: 'nfs.example', path: '/exports' } },
          { name: 'csi', csi: { driver: 'example.csi', volumeAttributes: { a: 'b' }, nodePublishSecretRef: { name: 's' } } },
          { name: 'eph', ephemeral: { volumeClaimTemplate: { metadata: { labels: { a: 'b' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
          { name: 'img', image: { reference: 'quay.io/x/y:1', pullPolicy: 'IfNotPresent' } },
        ],
      },
    },
  },
  {
    name: 'Service with status, managedFields and every spec field kubectl shows',
    obj: {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '7', creationTimestamp: T, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' }, managedFields: [managed('kubectl-client-side-apply', { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': {} } } })] },
      spec: {
        type: 'LoadBalancer', selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'http', protocol: 'TCP', appProtocol: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Cluster', healthCheckNodePort: 31000, allocateLoadBalancerNodePorts: true,
        loadBalancerClass: 'x', loadBalancerSourceRanges: ['0.0.0.0/0'], externalIPs: ['1.2.3.4'], publishNotReadyAddresses: false, trafficDistribution: 'PreferClose',
      },
      status: { loadBalancer: { ingress: [{ ip: '5.6.7.8', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP' }] }] }, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T, reason: 'R', message: 'm', observedGeneration: 1 }] },
    },
  },
  {
    name: 'Endpoints maintained by the endpoints controller',
    obj: {
      kind: 'Endpoints', apiVersion: 'v1', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': T } },
      subsets: [{ addresses: [{ ip: '10.244.1.5', hostname: 'web-0', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u' } }], notReadyAddresses: [{ ip: '10.244.1.6' }], ports: [{ name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' }] }],
    },
  },
  {
    name: 'EndpointSlice from the EndpointSlice controller',
    obj: {
      kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1',
      metadata: { name: 'web-abc12', generateName: 'web-', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true }], generation: 3 },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'web-0', nodeName: 'node-1', zone: 'a', hints: { forZones: [{ name: 'a' }] }, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u' } }],
      ports: [{ name: 'http', protocol: 'TCP', port: 80, appProtocol: 'http' }],
    },
  },
  {
    name: 'core/v1 Event with series, source and involvedObject',
    obj: {
      kind: 'Event', apiVersion: 'v1', metadata: { name: 'web-0.17f', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u', apiVersion: 'v1', resourceVersion: '9', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled', message: 'Successfully pulled image', source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: T, lastTimestamp: T, count: 3, type: 'Normal', eventTime: null,
      series: { count: 2, lastObservedTime: '2025-01-02T03:04:05.123456Z' }, action: 'Pulling', related: { kind: 'Node', name: 'node-1' },
      reportingComponent: 'kubelet', reportingInstance: 'node-1',
    },
  },
  {
    name: 'ConfigMap with data, binaryData and immutable',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' }, binaryData: { 'blob.bin': 'AAEC' }, immutable: false },
  },
  {
    name: 'Namespace with finalizers and status',
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo', labels: { 'kubernetes.io/metadata.name': 'foo' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: T, reason: 'R', message: 'm' }] } },
  },
  {
    name: 'Node with addresses, conditions, nodeInfo, capacity and allocatable',
    obj: {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], providerID: 'kubedisco://node-1', unschedulable: false, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule', timeAdded: T }] },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: T, lastTransitionTime: T, reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'node-1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1', osImage: 'Debian', containerRuntimeVersion: 'containerd://1.7', kubeletVersion: 'v1.32.4', kubeProxyVersion: 'v1.32.4', operatingSystem: 'linux', architecture: 'amd64' },
        images: [{ names: ['nginx:1.27'], sizeBytes: 1000 }], volumesInUse: ['v'], volumesAttached: [{ name: 'v', devicePath: '/dev/x' }],
        runtimeHandlers: [{ name: 'runc', features: { recursiveReadOnlyMounts: true, userNamespaces: true } }], features: { supplementalGroupsPolicy: true },
      },
    },
  },
  {
    name: 'StatefulSet with volumeClaimTemplates, update strategy and status',
    obj: {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', generation: 2 },
      spec: {
        serviceName: 'web', replicas: 2, selector: { matchLabels: { app: 'web' } }, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10, minReadySeconds: 0,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' }, ordinals: { start: 0 },
        template: { metadata: { labels: { app: 'web' }, creationTimestamp: null }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
        volumeClaimTemplates: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
      },
      status: { observedGeneration: 2, replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2, currentRevision: 'web-7d9f', updateRevision: 'web-7d9f', collisionCount: 0, conditions: [{ type: 'X', status: 'True', lastTransitionTime: T }] },
    },
  },
  {
    name: 'Deployment with intstr strategy and conditions',
    obj: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, paused: false, minReadySeconds: 0, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:alpine' }] } } },
      status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, collisionCount: 0, conditions: [{ type: 'Progressing', status: 'True', lastUpdateTime: T, lastTransitionTime: T, reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "app-5d" has successfully progressed.' }] },
    },
  },
  {
    name: 'ReplicaSet owned by a Deployment',
    obj: {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'app-5d', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', uid: 'u', controller: true, blockOwnerDeletion: true }], labels: { 'pod-template-hash': '5d' } },
      spec: { replicas: 3, minReadySeconds: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:alpine' }] } } },
      status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'False', lastTransitionTime: T }] },
    },
  },
  {
    name: 'ControllerRevision whose data is free-form (runtime.RawExtension)',
    obj: { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-7d9f' }, revision: 1, data: { spec: { template: { $patch: 'replace', anything: { goes: [1, { here: true }] } } } } },
  },
  {
    name: 'Lease with coordinated-leader-election fields',
    obj: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, acquireTime: '2025-01-02T03:04:05.000000Z', renewTime: '2025-01-02T03:04:05.000000Z', leaseTransitions: 0, strategy: 'OldestEmulationVersion', preferredHolder: 'x' } },
  },
  {
    name: 'autoscaling/v1 Scale as kubectl scale --current-replicas PUTs it (kubectl-compatibility §3.8)',
    obj: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '124', creationTimestamp: T }, spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' } },
  },
];
