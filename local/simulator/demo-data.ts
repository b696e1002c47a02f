/**
 * The simulator's fixed demo data. Built on the seed documents' own example ids so that Huawei's example
 * requests work against the simulator as written. The simulator seeds its state from this module at start and
 * on `POST /_simulator/reset`; tests, `npm start` and the README refer to these constants rather than
 * repeating the values.
 *
 * These are demo secrets for a local simulator only. Tests search all captured output for them to prove that
 * no secret is ever logged.
 */
import type { SimVmr } from './state.js';

export const SP_ID = 'demo-sp';

/** SP administrator, account login (`POST /v1/usg/acs/auth/account`). */
export const SP_ADMIN = {
  account: 'sp-admin',
  password: 'Sp-admin-2026!',
} as const;

/** SP-mode App ID (`POST /v2/usg/acs/auth/appauth`). Signing with empty corpId and userId logs in as SP admin. */
export const SP_APP = {
  appId: 'demo-sp-app',
  appKey: 'demo-sp-app-key-2026-0123456789ab',
} as const;

/** A demo enterprise: its administrator and one user, each with the demo's password. */
function demoCorp(corpId: string, name: string, user: { name: string; password: string }) {
  return {
    corpId,
    name,
    admin: { account: `corp-admin@${corpId}`, password: 'Corp-admin-2026!' },
    user: { account: `${user.name}@${corpId}`, password: user.password, thirdUserId: user.name },
  } as const;
}

/** The seeds' example enterprise. */
export const CORP_A = {
  ...demoCorp('818803911', 'Demo Enterprise A', { name: 'alice', password: 'Alice-pass-2026!' }),
  /** VMR owned by alice: the id in the modify-VMR seed. */
  vmrId: 'ff80808167ef1edf0167f33d650c0662',
  /** VMR resource: the id in the modify-enterprise-resources seed. */
  vmrResourceId: '733ff391f2a14360af3b93bd1325f9f9',
} as const;

export const CORP_B = {
  ...demoCorp('818803912', 'Demo Enterprise B', { name: 'bob', password: 'Bob-pass-2026!' }),
  vmrId: 'ff80808167ef1edf0167f33d650c0777',
} as const;

export type ResourceType =
  | 'VMR'
  | 'CONF_CALL'
  | 'HARD_1080P'
  | 'HARD_720P'
  | 'SOFT'
  | 'ROOM'
  | 'LIVE'
  | 'RECORD'
  | 'HARD_THIRD_PARTY'
  | 'HUAWEI_VISION';

export interface DemoResource {
  corpId: string;
  id: string;
  type: ResourceType;
  count: number;
  /** Epoch milliseconds. */
  expireDate: number;
  isDisabled: boolean;
  typeId?: string;
}

/** 2050-10-10T16:00:00Z, the seed's own expireDate: far in the future for demo purposes. */
const FAR_FUTURE = 2549030400000;
/** 2036-01-01T00:00:00Z. */
const LATER = 2082758400000;
/**
 * 2025-01-01T00:00:00Z: already past. Resources with this expiry are enabled at start, so the first sweep after
 * `npm start` (whose sync adopts them) visibly disables them.
 */
export const DEMO_EXPIRED = 1735689600000;

export const DEMO_RESOURCES: readonly DemoResource[] = [
  { corpId: CORP_A.corpId, id: CORP_A.vmrResourceId, type: 'VMR', count: 1, expireDate: LATER, isDisabled: false, typeId: 'ff808081699b56d40169c410d5080179' },
  { corpId: CORP_A.corpId, id: 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a01', type: 'CONF_CALL', count: 10, expireDate: LATER, isDisabled: false },
  { corpId: CORP_A.corpId, id: 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a02', type: 'SOFT', count: 50, expireDate: FAR_FUTURE, isDisabled: false },
  { corpId: CORP_A.corpId, id: 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a03', type: 'HARD_1080P', count: 2, expireDate: LATER, isDisabled: false },
  { corpId: CORP_A.corpId, id: 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a04', type: 'RECORD', count: 100, expireDate: LATER, isDisabled: true },
  // The same id under two types: an update without `type` modifies both (Huawei's documented semantics).
  { corpId: CORP_A.corpId, id: 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a05', type: 'LIVE', count: 1, expireDate: LATER, isDisabled: false },
  { corpId: CORP_A.corpId, id: 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a05', type: 'ROOM', count: 1, expireDate: LATER, isDisabled: false },
  { corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b01', type: 'VMR', count: 1, expireDate: LATER, isDisabled: false, typeId: 'ff808081699b56d40169c4111fe5017a' },
  { corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b02', type: 'HARD_720P', count: 3, expireDate: LATER, isDisabled: false },
  { corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b03', type: 'HUAWEI_VISION', count: 1, expireDate: FAR_FUTURE, isDisabled: false },
  // Past their expiry and still enabled: nothing has enforced them yet (the registry starts empty).
  { corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b04', type: 'SOFT', count: 20, expireDate: DEMO_EXPIRED, isDisabled: false },
  { corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b05', type: 'CONF_CALL', count: 5, expireDate: DEMO_EXPIRED, isDisabled: false },
  { corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b06', type: 'LIVE', count: 1, expireDate: DEMO_EXPIRED, isDisabled: false },
];

/** A demo room as the simulator keeps it, before it has a status (rooms start enabled); `id` is the `{id}` of
 * `PUT /v1/usg/dcs/member/vmr/{id}`, `vmrMode` 0 is a personal meeting ID and 1 a cloud meeting room. */
export type DemoVmr = Omit<SimVmr, 'status' | 'vmrMode'> & { vmrMode: 0 | 1 };

export const DEMO_VMRS: readonly DemoVmr[] = [
  { corpId: CORP_A.corpId, id: CORP_A.vmrId, vmrId: '912345678', vmrName: "Alice's cloud meeting room", ownerAccount: CORP_A.user.account, chairPwd: '111111', gustPwd: '222222', allowGustFirst: true, gustFirstNotice: false, vmrMode: 1 },
  { corpId: CORP_A.corpId, id: 'ff80808167ef1edf0167f33d650c0663', vmrId: '987654321', vmrName: 'Alice', ownerAccount: CORP_A.user.account, chairPwd: '333333', gustPwd: '', allowGustFirst: false, gustFirstNotice: false, vmrMode: 0 },
  { corpId: CORP_B.corpId, id: CORP_B.vmrId, vmrId: '923456789', vmrName: "Bob's cloud meeting room", ownerAccount: CORP_B.user.account, chairPwd: '444444', gustPwd: '555555', allowGustFirst: false, gustFirstNotice: true, vmrMode: 1 },
];

/** Every demo secret, for tests that assert none of them appears in captured output. */
export const DEMO_SECRETS: readonly string[] = [
  SP_ADMIN.password,
  SP_APP.appKey,
  CORP_A.admin.password,
  CORP_A.user.password,
  CORP_B.admin.password,
  CORP_B.user.password,
];

/**
 * An enterprise that belongs to another SP. The demo SP admin may not read or change it (403): it exists so the
 * simulator's "own enterprises only" rule can be exercised. It has one resource and no users.
 */
export const OTHER_SP_CORP = {
  spId: 'other-sp',
  corpId: '818803999',
  name: 'Other SP Enterprise',
  resourceId: 'c3e2f1a0b5d6470f9c2d3e4f5a6b7c01',
  resource: { type: 'SOFT', count: 5, expireDate: LATER },
} as const;
