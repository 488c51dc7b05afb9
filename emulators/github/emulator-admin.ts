import { randomBytes } from 'node:crypto';
import type { GithubState, Permissions } from './state';

/** What a test or the demo asks for: apps, their installations on organizations, repositories and what they hold. */
export interface Seed {
  /** `id`: the app's id, where a deployment must know it in advance (the compose demo); else the next free one. */
  apps?: { slug: string; owner: string; id?: number }[];
  /** Enterprises (GitHub Enterprise Cloud) and the organizations they own (added to those they had). */
  enterprises?: { slug: string; organizations: string[] }[];
  installations?: {
    app: string;
    /** The organization it is installed on, or with `enterprise`, the enterprise (then `org` is left out). */
    org?: string;
    enterprise?: string;
    permissions: Permissions;
    /** Repository names of a `selected` installation; none: all of the organization's. */
    repositories?: string[];
  }[];
  repositories?: {
    owner: string;
    name: string;
    /** Private unless said otherwise. */
    private?: boolean;
    properties?: Record<string, string>;
    deployKeys?: { title: string; key: string; readOnly?: boolean }[];
    alerts?: { secretType: string; secretTypeDisplayName?: string; secret: string }[];
  }[];
  patGrants?: { org: string; owner: string; tokenName: string; repositorySelection?: 'all' | 'subset' | 'none' }[];
  /** OAuth apps (owned by an organization) and their users' tokens (`gho_…`, handed out once). */
  oauthApps?: { name: string; owner: string }[];
  oauthTokens?: { app: string; login: string; scopes?: string[] }[];
  /** Organization Actions secrets; `repositories`: the names a `selected` secret is shared with. */
  secrets?: { org: string; name: string; visibility: 'all' | 'private' | 'selected'; repositories?: string[] }[];
}

export interface Seeded {
  /** Each app's id and its private key (PEM), handed out once as GitHub does. */
  apps: { slug: string; id: number; clientId: string; privateKey: string }[];
  /** `org`: the organization, or the enterprise, it is installed on. */
  installations: { app: string; org: string; id: number }[];
  repositories: { owner: string; name: string; id: number; deployKeyIds: number[]; alertNumbers: number[] }[];
  patGrants: { org: string; owner: string; id: number; tokenId: number }[];
  /** Each OAuth app's client id and secret, and each token's value, handed out once as GitHub does. */
  oauthApps: { name: string; clientId: string; clientSecret: string }[];
  oauthTokens: { app: string; login: string; token: string }[];
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function seed(state: GithubState, request: Seed): Seeded {
  const apps = (request.apps ?? []).map(({ slug, owner, id }) => {
    const { app, privateKey } = state.addApp(slug, owner, id);
    return { slug, id: app.id, clientId: app.clientId, privateKey };
  });
  const repositories = (request.repositories ?? []).map((entry) => {
    const { owner, name, properties, deployKeys = [], alerts = [] } = entry;
    const repository = state.repository(owner, name) ?? state.addRepository(owner, name, properties);
    repository.private = entry.private ?? repository.private;
    const keys = deployKeys.map(({ title, key, readOnly = true }) => {
      const id = state.nextId();
      repository.deployKeys.push({ id, key, title, readOnly, createdAt: now(), addedBy: owner, lastUsed: null });
      return id;
    });
    const numbers = alerts.map(({ secretType, secretTypeDisplayName, secret }) => {
      const number = repository.alerts.length + 1;
      repository.alerts.push({
        number,
        createdAt: now(),
        updatedAt: now(),
        state: 'open',
        resolution: null,
        resolutionComment: null,
        resolvedAt: null,
        resolvedBy: null,
        secretType,
        secretTypeDisplayName: secretTypeDisplayName ?? secretType,
        secret,
        validity: 'active',
        publiclyLeaked: false,
      });
      return number;
    });
    return { owner, name, id: repository.id, deployKeyIds: keys, alertNumbers: numbers };
  });
  for (const { slug, organizations } of request.enterprises ?? [])
    for (const org of organizations) state.enterprise(slug).organizations.add(org.toLowerCase());
  const installations = (request.installations ?? []).map((entry) => {
    const { app: slug, org = '', enterprise, permissions, repositories: names } = entry;
    const app = [...state.apps.values()].find((candidate) => candidate.slug === slug);
    if (!app) throw new Error(`seed: no app ${slug}`);
    const account = enterprise ? state.enterprise(enterprise).account : state.organization(org).account;
    const id = state.nextId();
    state.installations.set(id, {
      id,
      appId: app.id,
      account,
      repositorySelection: names ? 'selected' : 'all',
      repositoryIds: (names ?? []).map((name) => state.repository(org, name)?.id ?? -1),
      permissions: { metadata: 'read', ...permissions },
      events: [],
      createdAt: now(),
      updatedAt: now(),
      suspendedAt: null,
      suspendedBy: null,
    });
    return { app: slug, org: enterprise ?? org, id };
  });
  const patGrants = (request.patGrants ?? []).map(({ org, owner, tokenName, repositorySelection = 'all' }) => {
    const organization = state.organization(org);
    const grant = {
      id: state.nextId(),
      owner: { login: owner, id: state.nextId(), type: 'User' as const },
      tokenId: state.nextId(),
      tokenName,
      repositorySelection,
      permissions: { organization: {}, repository: { metadata: 'read' as const, contents: 'read' as const } },
      accessGrantedAt: now(),
      tokenExpiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      tokenLastUsedAt: null,
    };
    organization.patGrants.push(grant);
    return { org, owner, id: grant.id, tokenId: grant.tokenId };
  });
  for (const { org, name, visibility, repositories: names = [] } of request.secrets ?? [])
    state.organization(org).secrets.set(name.toUpperCase(), {
      name: name.toUpperCase(),
      createdAt: now(),
      updatedAt: now(),
      visibility,
      selectedRepositoryIds: names.map((repository) => state.repository(org, repository)?.id ?? -1),
      encryptedValue: Buffer.from('sealed').toString('base64'),
    });
  const oauthApps = (request.oauthApps ?? []).map(({ name, owner }) => {
    const app = {
      id: state.nextId(),
      name,
      clientId: `Ov23li${randomBytes(7).toString('hex')}`,
      clientSecret: randomBytes(20).toString('hex'),
      owner: state.organization(owner).account,
    };
    state.oauthApps.set(app.clientId, app);
    return { name, clientId: app.clientId, clientSecret: app.clientSecret };
  });
  const oauthTokens = (request.oauthTokens ?? []).map(({ app: name, login, scopes = ['repo'] }) => {
    const app = [...state.oauthApps.values()].find((candidate) => candidate.name === name);
    if (!app) throw new Error(`seed: no OAuth app ${name}`);
    const token = `gho_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x')}`;
    state.oauthTokens.set(token, {
      id: state.nextId(),
      clientId: app.clientId,
      user: state.user(login),
      scopes,
      createdAt: now(),
    });
    return { app: name, login, token };
  });
  return { apps, installations, repositories, patGrants, oauthApps, oauthTokens };
}
