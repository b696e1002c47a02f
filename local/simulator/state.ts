import { createHash } from 'node:crypto';
import {
  CORP_A,
  CORP_B,
  DEMO_RESOURCES,
  DEMO_VMRS,
  OTHER_SP_CORP,
  SP_ADMIN,
  SP_APP,
  SP_ID,
  type ResourceType,
} from './demo-data.js';
import { ResourceRecordLog } from './resource-records.js';

/** The simulator's in-memory model of Huawei's server, seeded from demo-data. */

export interface SimUser {
  /** Huawei user id (32 hex). */
  id: string;
  account: string;
  /** Absent for users auto-registered by App ID auth: they cannot log in with a password. */
  password?: string;
  name: string;
  /** 1 SP admin, 2 enterprise user or admin. */
  userType: 1 | 2;
  /** 0 default admin, 1 ordinary admin, 2 not an admin. */
  adminType: 0 | 1 | 2;
  corpId: string | null;
  spId: string;
  /** App ID `userId` of this user. */
  thirdAccount: string | null;
}

export interface SimCorp {
  id: string;
  name: string;
  spId: string;
}

export interface SimApp {
  appId: string;
  appKey: string;
  spId: string;
}

export interface SimResource {
  corpId: string;
  id: string;
  type: ResourceType;
  typeId: string | null;
  count: number;
  expireDate: number;
  isDisabled: boolean;
  orderId: string;
}

export interface SimVmr {
  corpId: string;
  id: string;
  vmrId: string;
  vmrName: string;
  ownerAccount: string;
  chairPwd: string;
  gustPwd: string;
  allowGustFirst: boolean;
  gustFirstNotice: boolean;
  vmrMode: 0 | 1 | 2;
  /** 0 normal, 1 disabled, 2 unallocated. */
  status: 0 | 1 | 2;
}

/** Stable user id derived from the account, so ids survive a reset. */
export function userIdFor(account: string): string {
  return createHash('md5').update(`user:${account}`).digest('hex');
}

/** Id of the n-th extra enterprise (1-based): 9 digits like the demo ones, outside their range. */
export function extraCorpId(n: number): string {
  return String(818900000 + n);
}

export class SimState {
  readonly corps = new Map<string, SimCorp>();
  readonly users = new Map<string, SimUser>();
  readonly apps = new Map<string, SimApp>();
  /** Per enterprise, in insertion order (the order list APIs return). */
  readonly resources = new Map<string, SimResource[]>();
  readonly vmrs = new Map<string, SimVmr>();
  /** Operation records of the SP resources (resource-records.ts); the seed data has none. */
  readonly records = new ResourceRecordLog();

  /** The demo data, plus `extraCorps` empty enterprises of the demo SP (benchmarks spread work over them). */
  static seeded(extraCorps = 0): SimState {
    const state = new SimState();
    state.seed();
    for (let i = 1; i <= extraCorps; i++) {
      const id = extraCorpId(i);
      state.corps.set(id, { id, name: `Extra Enterprise ${i}`, spId: SP_ID });
      state.resources.set(id, []);
    }
    return state;
  }

  private seed(): void {
    this.apps.set(SP_APP.appId, { appId: SP_APP.appId, appKey: SP_APP.appKey, spId: SP_ID });
    this.addUser({ account: SP_ADMIN.account, password: SP_ADMIN.password, name: 'SP administrator', userType: 1, adminType: 0, corpId: null, spId: SP_ID, thirdAccount: null });
    for (const corp of [CORP_A, CORP_B]) {
      this.corps.set(corp.corpId, { id: corp.corpId, name: corp.name, spId: SP_ID });
      this.resources.set(corp.corpId, []);
      this.addUser({ account: corp.admin.account, password: corp.admin.password, name: `${corp.name} administrator`, userType: 2, adminType: 0, corpId: corp.corpId, spId: SP_ID, thirdAccount: null });
      this.addUser({ account: corp.user.account, password: corp.user.password, name: corp.user.thirdUserId, userType: 2, adminType: 2, corpId: corp.corpId, spId: SP_ID, thirdAccount: corp.user.thirdUserId });
    }
    this.corps.set(OTHER_SP_CORP.corpId, { id: OTHER_SP_CORP.corpId, name: OTHER_SP_CORP.name, spId: OTHER_SP_CORP.spId });
    this.resources.set(OTHER_SP_CORP.corpId, []);
    const other = OTHER_SP_CORP.resource;
    this.addResource({ corpId: OTHER_SP_CORP.corpId, id: OTHER_SP_CORP.resourceId, type: other.type, typeId: null, count: other.count, expireDate: other.expireDate, isDisabled: false, orderId: orderIdFor(OTHER_SP_CORP.resourceId) });
    for (const r of DEMO_RESOURCES) {
      this.addResource({ corpId: r.corpId, id: r.id, type: r.type, typeId: r.typeId ?? null, count: r.count, expireDate: r.expireDate, isDisabled: r.isDisabled, orderId: orderIdFor(r.id) });
    }
    for (const v of DEMO_VMRS) this.vmrs.set(v.id, { ...v, status: 0 });
  }

  addUser(fields: Omit<SimUser, 'id'>): SimUser {
    const user: SimUser = { id: userIdFor(fields.account), ...fields };
    this.users.set(user.id, user);
    return user;
  }

  findUserByAccount(account: string): SimUser | undefined {
    for (const user of this.users.values()) if (user.account === account) return user;
    return undefined;
  }

  findCorpUserByThirdAccount(corpId: string, thirdAccount: string): SimUser | undefined {
    for (const user of this.users.values()) {
      if (user.corpId === corpId && user.thirdAccount === thirdAccount) return user;
    }
    return undefined;
  }

  corpDefaultAdmin(corpId: string): SimUser | undefined {
    for (const user of this.users.values()) if (user.corpId === corpId && user.adminType === 0) return user;
    return undefined;
  }

  spAdmin(spId: string): SimUser | undefined {
    for (const user of this.users.values()) if (user.userType === 1 && user.spId === spId) return user;
    return undefined;
  }

  corpResources(corpId: string): SimResource[] {
    return this.resources.get(corpId) ?? [];
  }

  addResource(resource: SimResource): void {
    const list = this.resources.get(resource.corpId) ?? [];
    list.push(resource);
    this.resources.set(resource.corpId, list);
  }
}

/** A stable, made-up order id for a resource (Huawei returns an `orderId`; its format is unknown). */
export function orderIdFor(resourceId: string): string {
  return createHash('md5').update(`order:${resourceId}`).digest('hex').slice(0, 20);
}
