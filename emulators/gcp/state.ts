import { createHash, randomBytes, randomUUID } from 'node:crypto';

export interface ServiceAccount {
  projectId: string;
  email: string;
  uniqueId: string;
  displayName: string;
  description: string;
  disabled: boolean;
  etag: string;
}

export interface ServiceAccountKey {
  keyId: string;
  email: string;
  projectId: string;
  disabled: boolean;
  validAfterTime: string;
  validBeforeTime: string;
  keyOrigin: 'GOOGLE_PROVIDED' | 'USER_PROVIDED';
  keyType: 'USER_MANAGED' | 'SYSTEM_MANAGED';
}

export interface Binding {
  role: string;
  members: string[];
  condition?: { expression: string; title?: string; description?: string };
}

export interface IamPolicy {
  version: number;
  bindings: Binding[];
  /** Raw bytes; the API shows them base64-encoded. */
  etag: Buffer;
}

export interface DenyPolicy {
  name: string;
  uid: string;
  kind: 'DenyPolicy';
  displayName?: string;
  etag: string;
  createTime: string;
  updateTime: string;
  rules: unknown[];
}

export interface Secret {
  name: string;
  createTime: string;
  etag: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  replication: unknown;
  versions: { name: string; createTime: string; data: string }[];
}

export interface Project {
  projectId: string;
  serviceAccounts: Map<string, ServiceAccount>;
  keys: Map<string, ServiceAccountKey>;
  iamPolicy: IamPolicy;
  secrets: Map<string, Secret>;
}

/** IAM's limit on user-managed keys per service account. */
export const MAX_KEYS_PER_SERVICE_ACCOUNT = 10;

export const newEtag = () => randomBytes(8);
export const now = () => new Date().toISOString();

/** Everything the emulator holds: projects (with their accounts, keys, IAM policy, secrets) and deny policies by attachment point. */
export class GcpState {
  readonly projects = new Map<string, Project>();
  readonly denyPolicies = new Map<string, DenyPolicy>();
  readonly operations = new Map<string, unknown>();
  /** Permissions each caller (by bearer token) is made to lack: the failure switch. */
  readonly deniedPermissions = new Map<string, Set<string>>();
  /** Who a caller is, by bearer token, for permission checks (a token not named here may do everything). */
  readonly tokenMembers = new Map<string, string>();
  /** Another writer's edit, made right after the next read of a project's IAM policy. */
  readonly pendingConcurrentEdits = new Map<string, Binding>();

  project(projectId: string): Project {
    let project = this.projects.get(projectId);
    if (!project) {
      project = {
        projectId,
        serviceAccounts: new Map(),
        keys: new Map(),
        iamPolicy: { version: 1, bindings: [], etag: newEtag() },
        secrets: new Map(),
      };
      this.projects.set(projectId, project);
    }
    return project;
  }

  addServiceAccount(projectId: string, accountId: string, displayName = accountId): ServiceAccount {
    const email = `${accountId}@${projectId}.iam.gserviceaccount.com`;
    const account: ServiceAccount = {
      projectId,
      email,
      uniqueId: String(BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 15)}`)),
      displayName,
      description: '',
      disabled: false,
      etag: randomBytes(6).toString('base64'),
    };
    this.project(projectId).serviceAccounts.set(email, account);
    return account;
  }

  addKey(account: ServiceAccount): ServiceAccountKey {
    const key: ServiceAccountKey = {
      keyId: randomBytes(20).toString('hex'),
      email: account.email,
      projectId: account.projectId,
      disabled: false,
      validAfterTime: now(),
      validBeforeTime: '9999-12-31T23:59:59Z',
      keyOrigin: 'GOOGLE_PROVIDED',
      keyType: 'USER_MANAGED',
    };
    this.project(account.projectId).keys.set(key.keyId, key);
    return key;
  }

  newOperationName(parent: string): string {
    return `${parent}/operations/${randomUUID()}`;
  }
}
