// The /version body (k8s.io/apimachinery/pkg/version.Info, v1.32: no emulation fields yet).
//
// `minor` matters more than it looks: Google Cloud SDK's kubectl-dispatcher (the `kubectl` on PATH) picks the
// kubectl binary it runs from `minor`, not from gitVersion, and falls back to its built-in 1.32.4 when /version
// is missing or the minor is outside 27..33 (kubectl-compatibility.md §0). We serve 1.32, the API level
// kubedisco implements.

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';
/** The Kubernetes release whose API kubedisco serves, with build metadata naming the implementation. */
export const KUBE_GIT_VERSION = 'v1.32.4+kubedisco';

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };
const GO_OS: Record<string, string> = { win32: 'windows' };

/** runtime.GOOS/GOARCH spelling of this process's platform, e.g. `linux/amd64`. */
export function goPlatform(platform: string = process.platform, arch: string = process.arch): string {
  return `${GO_OS[platform] ?? platform}/${GO_ARCH[arch] ?? arch}`;
}

/**
 * The /version response. gitCommit, gitTreeState and buildDate describe the kubedisco build and default to
 * "unknown" values the caller may override; goVersion and compiler name the runtime that actually serves
 * (clients only display these fields).
 */
export function versionInfo(overrides: Partial<VersionInfo> = {}): VersionInfo {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: KUBE_GIT_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'v8',
    platform: goPlatform(),
    ...overrides,
  };
}
