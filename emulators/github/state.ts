import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** Repository and organization permissions of an app installation (GitHub's names), each read or write. */
export type Permissions = Record<string, 'read' | 'write'>;

export interface Account {
  login: string;
  id: number;
  type: 'Organization' | 'User' | 'Enterprise';
}

export interface App {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  owner: Account;
  /** GitHub keeps the public half only; the private key was handed out once, at seeding. */
  publicKeyPem: string;
}

export interface Installation {
  id: number;
  appId: number;
  account: Account;
  repositorySelection: 'all' | 'selected';
  /** The repositories a `selected` installation may reach. */
  repositoryIds: number[];
  permissions: Permissions;
  events: string[];
  createdAt: string;
  updatedAt: string;
  suspendedAt: string | null;
  suspendedBy: Account | null;
}

export interface DeployKey {
  id: number;
  key: string;
  title: string;
  readOnly: boolean;
  createdAt: string;
  addedBy: string;
  lastUsed: string | null;
}

export interface SecretScanningAlert {
  number: number;
  createdAt: string;
  updatedAt: string;
  state: 'open' | 'resolved';
  resolution: string | null;
  resolutionComment: string | null;
  resolvedAt: string | null;
  resolvedBy: Account | null;
  secretType: string;
  secretTypeDisplayName: string;
  secret: string;
  validity: 'active' | 'inactive' | 'unknown';
  publiclyLeaked: boolean;
}

export interface Repository {
  id: number;
  name: string;
  owner: Account;
  private: boolean;
  deployKeys: DeployKey[];
  alerts: SecretScanningAlert[];
  /** Custom property values (an organization's own key/value labels on its repositories). */
  properties: Record<string, string>;
}

/** A fine-grained personal access token's access to an organization (GitHub calls it a grant). */
export interface PatGrant {
  id: number;
  owner: Account;
  tokenId: number;
  tokenName: string;
  repositorySelection: 'all' | 'subset' | 'none';
  permissions: { organization: Permissions; repository: Permissions };
  accessGrantedAt: string;
  tokenExpiresAt: string | null;
  tokenLastUsedAt: string | null;
}

/** An organization's Actions secret: who may use it (its value is kept sealed and never served). */
export interface OrgSecret {
  name: string;
  createdAt: string;
  updatedAt: string;
  visibility: 'all' | 'private' | 'selected';
  /** The repositories of a `selected` secret. */
  selectedRepositoryIds: number[];
  encryptedValue: string;
}

/** A GitHub Enterprise Cloud enterprise: its organizations, and the apps installed on it (their account is the enterprise). */
export interface Enterprise {
  account: Account;
  /** Lower-cased logins of the organizations it owns. */
  organizations: Set<string>;
}

export interface Organization {
  account: Account;
  patGrants: PatGrant[];
  /** Actions secrets by upper-cased name (GitHub's secret names are case-insensitive, stored upper case). */
  secrets: Map<string, OrgSecret>;
}

/** An OAuth app: its users authorize it, and it holds a token (`gho_…`) per user until the grant is revoked. */
export interface OAuthApp {
  id: number;
  name: string;
  clientId: string;
  /** Known to the app's owner only; the app authenticates with it (Basic) to check and revoke its tokens. */
  clientSecret: string;
  owner: Account;
}

/** A user's OAuth access token for an OAuth app: what its grant (the user's authorization of the app) issued. */
export interface OAuthToken {
  id: number;
  clientId: string;
  user: Account;
  scopes: string[];
  createdAt: string;
}

/** An installation access token (`ghs_…`): what it may do is its installation's, fixed when it was made. */
export interface InstallationToken {
  installationId: number;
  permissions: Permissions;
  expiresAt: number;
}

/** A secondary limit an abuse check set: the next `requests` calls are refused, to come back after `retryAfter` s. */
export interface SecondaryLimit {
  requests: number;
  retryAfter: number;
  status: 403 | 429;
}

/**
 * What each caller's next requests meet, per installation (an app's own JWT calls count apart): GitHub's
 * hourly budget, and secondary limits. Keyed by installation id, or by the negated app id for JWT calls.
 */
export interface RateLimits {
  /** Requests per hour (GitHub's default for an installation is 5,000), unless set otherwise for one caller. */
  limit: number;
  limits: Map<number, number>;
  used: Map<number, number>;
  resetAt: number;
  secondary: Map<number, SecondaryLimit>;
}

const HOUR_MS = 3_600_000;

/** Everything the local GitHub holds, in memory. Ids come from one counter, as GitHub's are unique per kind. */
export class GithubState {
  readonly apps = new Map<number, App>();
  readonly installations = new Map<number, Installation>();
  readonly organizations = new Map<string, Organization>();
  readonly enterprises = new Map<string, Enterprise>();
  readonly repositories = new Map<string, Repository>();
  readonly tokens = new Map<string, InstallationToken>();
  /** OAuth apps by client id, and their users' tokens by value. */
  readonly oauthApps = new Map<string, OAuthApp>();
  readonly oauthTokens = new Map<string, OAuthToken>();
  readonly users = new Map<string, Account>();
  readonly rateLimits: RateLimits = {
    limit: 5_000,
    limits: new Map(),
    used: new Map(),
    resetAt: Date.now() + HOUR_MS,
    secondary: new Map(),
  };
  private lastId = 1_000;

  nextId(): number {
    return ++this.lastId;
  }

  organization(login: string): Organization {
    const known = this.organizations.get(login.toLowerCase());
    if (known) return known;
    const created = {
      account: { login, id: this.nextId(), type: 'Organization' as const },
      patGrants: [],
      secrets: new Map<string, OrgSecret>(),
    };
    this.organizations.set(login.toLowerCase(), created);
    return created;
  }

  user(login: string): Account {
    const known = this.users.get(login.toLowerCase());
    if (known) return known;
    const created = { login, id: this.nextId(), type: 'User' as const };
    this.users.set(login.toLowerCase(), created);
    return created;
  }

  enterprise(slug: string): Enterprise {
    const known = this.enterprises.get(slug.toLowerCase());
    if (known) return known;
    const created = {
      account: { login: slug, id: this.nextId(), type: 'Enterprise' as const },
      organizations: new Set<string>(),
    };
    this.enterprises.set(slug.toLowerCase(), created);
    return created;
  }

  /** A new app; its private key (PKCS#8 PEM) is returned once and kept nowhere, as GitHub hands it out. */
  addApp(slug: string, owner: string, id = this.nextId()): { app: App; privateKey: string } {
    if (this.apps.has(id)) throw new Error(`seed: app id ${id} is taken`);
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const app: App = {
      id,
      slug,
      name: slug,
      clientId: `Iv23${randomBytes(8).toString('hex')}`,
      owner: this.organization(owner).account,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    this.apps.set(app.id, app);
    return { app, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }

  repository(owner: string, name: string): Repository | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase());
  }

  addRepository(owner: string, name: string, properties: Record<string, string> = {}): Repository {
    const repository: Repository = {
      id: this.nextId(),
      name,
      owner: this.organization(owner).account,
      private: true,
      deployKeys: [],
      alerts: [],
      properties,
    };
    this.repositories.set(`${owner}/${name}`.toLowerCase(), repository);
    return repository;
  }

  /** Whether an installation reaches a repository: one of its account's, and in its selection. */
  reaches(installation: Installation, repository: Repository): boolean {
    return (
      installation.account.id === repository.owner.id &&
      (installation.repositorySelection === 'all' || installation.repositoryIds.includes(repository.id))
    );
  }

  /** Where a deploy key's public key is in use (GitHub allows one use of a key across all of GitHub). */
  deployKeyInUse(key: string): boolean {
    return [...this.repositories.values()].some((repository) =>
      repository.deployKeys.some((existing) => sameKey(existing.key, key)),
    );
  }
}

/** An SSH public key's identity is its type and body; the comment after them is not part of it. */
export function sameKey(a: string, b: string): boolean {
  const body = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(' ');
  return body(a) === body(b);
}
