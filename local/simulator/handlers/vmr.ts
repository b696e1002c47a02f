import { authenticate, isCorpAdmin, isCorpMember } from '../auth/session.js';
import { HuaweiError, invalidParameter } from '../error-codes.js';
import { pageOf, readPaging } from '../paging.js';
import { EMPTY_OK, type Reply, type RequestContext, type Simulation } from '../simulation.js';
import type { SimState, SimVmr } from '../state.js';
import { VMR_PACKAGES } from '../vmr-packages.js';
import { checkPathId, optionalBoolean, optionalString, queryBoolean, queryInteger, requireObject } from '../validation.js';

/** Documented VMR rules (modify-vmr seed). */
export const VMR_NAME_MAX = 128;
const PASSWORD_PATTERN = /^\d{4,16}$/;
const PASSWORD_RULE = 'must be 4 to 16 digits';

function joinUrl(vmr: SimVmr, role: 'chair' | 'guest'): string {
  return `https://meeting.huaweicloud.com/#/j/${vmr.vmrId}?role=${role}`;
}

/** The package of the enterprise's first VMR resource, for cloud meeting rooms. */
function vmrPackage(state: SimState, vmr: SimVmr): { id: string | null; name: string | null; parties: number | null } {
  if (vmr.vmrMode === 0) return { id: null, name: null, parties: null };
  const resource = state.corpResources(vmr.corpId).find((r) => r.type === 'VMR');
  const pkg = resource?.typeId == null ? undefined : VMR_PACKAGES[resource.typeId];
  return { id: resource?.typeId ?? null, name: pkg?.name ?? null, parties: pkg?.parties ?? null };
}

type VmrPackage = ReturnType<typeof vmrPackage>;

/** A page of rooms in Huawei's list shape: the fields both listings share, then the listing's own. */
function vmrPageReply(
  sim: Simulation,
  rooms: readonly SimVmr[],
  paging: ReturnType<typeof readPaging>,
  fields: (vmr: SimVmr, pkg: VmrPackage) => Record<string, unknown>,
): Reply {
  const page = pageOf(rooms, paging);
  return {
    status: 200,
    body: {
      ...page,
      data: page.data.map((v) => {
        const pkg = vmrPackage(sim.state, v);
        return { id: v.id, vmrId: v.vmrId, vmrName: v.vmrName, ...fields(v, pkg) };
      }),
    },
  };
}

function matchesSearch(vmr: SimVmr, searchKey: string | undefined): boolean {
  if (searchKey === undefined || searchKey === '') return true;
  const key = searchKey.toLowerCase();
  return vmr.vmrName.toLowerCase().includes(key) || vmr.vmrId.includes(key) || vmr.id.includes(key);
}

/** `GET /v1/usg/dcs/member/vmr` (SearchMemberVmr): the caller's rooms, with passwords. */
export function listMemberVmrs(sim: Simulation, ctx: RequestContext): Reply {
  const { user } = authenticate(sim, ctx);
  if (!isCorpMember(user)) throw new HuaweiError('forbidden', 'Only enterprise users may list their cloud meeting rooms.');
  const paging = readPaging(ctx.query);
  const specialVmr = queryBoolean(ctx.query, 'specialVmr');
  const searchKey = ctx.query.searchKey;
  const rooms = [...sim.state.vmrs.values()].filter(
    (v) =>
      v.ownerAccount === user.account &&
      (specialVmr === undefined || (specialVmr ? v.vmrMode !== 0 : v.vmrMode === 0)) &&
      matchesSearch(v, searchKey),
  );
  return vmrPageReply(sim, rooms, paging, (v, pkg) => ({
    gustPwd: v.gustPwd,
    gustJoinUrl: joinUrl(v, 'guest'),
    chairPwd: v.chairPwd,
    chairJoinUrl: joinUrl(v, 'chair'),
    allowGustFirst: v.allowGustFirst,
    gustFirstNotice: v.gustFirstNotice,
    vmrMode: v.vmrMode,
    vmrPkgId: pkg.id,
    vmrPkgName: pkg.name,
    vmrPkgParties: pkg.parties,
    status: v.status,
  }));
}

/** `GET /v1/usg/dcs/corp/vmr` (SearchCorpVmr): an enterprise admin lists its cloud rooms (no passwords). */
export function listCorpVmrs(sim: Simulation, ctx: RequestContext): Reply {
  const { user } = authenticate(sim, ctx);
  if (!isCorpAdmin(user) || user.corpId === null) {
    throw new HuaweiError('forbidden', 'Only an enterprise administrator may list the enterprise\'s cloud meeting rooms.');
  }
  const paging = readPaging(ctx.query);
  const status = queryInteger(ctx.query, 'status', { min: 0, max: 2 });
  const vmrMode = queryInteger(ctx.query, 'vmrMode', { min: 1, max: 2 }) ?? 1;
  const corpId = user.corpId;
  const corpResources = sim.state.corpResources(corpId);
  const expireDate = corpResources.find((r) => r.type === 'VMR')?.expireDate ?? null;
  const rooms = [...sim.state.vmrs.values()].filter(
    (v) =>
      v.corpId === corpId &&
      v.vmrMode === vmrMode &&
      (status === undefined || v.status === status) &&
      matchesSearch(v, ctx.query.searchKey),
  );
  return vmrPageReply(sim, rooms, paging, (v, pkg) => ({
    vmrPkgName: pkg.name,
    vmrPkgParties: pkg.parties,
    member: { id: v.ownerAccount, mark: `${v.ownerAccount}(${v.ownerAccount})` },
    device: null,
    status: v.status,
    expireDate,
  }));
}

interface VmrChanges {
  vmrName?: string;
  chairPwd?: string;
  gustPwd?: string;
  allowGustFirst?: boolean;
  gustFirstNotice?: boolean;
}

/** Every documented ModVmrDTO rule; unknown fields are ignored as a Java server would. */
export function readVmrChanges(body: unknown): VmrChanges {
  const obj = requireObject(body, 'body');
  const changes: VmrChanges = {};
  const vmrName = optionalString(obj, 'vmrName', { min: 1, max: VMR_NAME_MAX });
  if (vmrName !== undefined) changes.vmrName = vmrName;
  const chairPwd = optionalString(obj, 'chairPwd', { pattern: PASSWORD_PATTERN, patternRule: PASSWORD_RULE });
  if (chairPwd !== undefined) changes.chairPwd = chairPwd;
  const gustPwd = optionalString(obj, 'gustPwd');
  if (gustPwd !== undefined) {
    // "" means: no guest password.
    if (gustPwd !== '' && !PASSWORD_PATTERN.test(gustPwd)) throw invalidParameter('gustPwd', `${PASSWORD_RULE}, or "" for none`);
    changes.gustPwd = gustPwd;
  }
  const allowGustFirst = optionalBoolean(obj, 'allowGustFirst');
  if (allowGustFirst !== undefined) changes.allowGustFirst = allowGustFirst;
  const gustFirstNotice = optionalBoolean(obj, 'gustFirstNotice');
  if (gustFirstNotice !== undefined) changes.gustFirstNotice = gustFirstNotice;
  return changes;
}

/** `PUT /v1/usg/dcs/member/vmr/{id}` (UpdateMemberVmr): only the owning enterprise user; 200 empty body. */
export function updateMemberVmr(sim: Simulation, ctx: RequestContext): Reply {
  const { user } = authenticate(sim, ctx);
  if (!isCorpMember(user)) {
    throw new HuaweiError('forbidden', 'Only the enterprise user who owns the cloud meeting room may modify it.');
  }
  const id = checkPathId(ctx.params.id ?? '', 'id');
  const changes = readVmrChanges(ctx.body);
  const vmr = sim.state.vmrs.get(id);
  if (vmr === undefined || vmr.ownerAccount !== user.account || vmr.corpId !== user.corpId) {
    throw new HuaweiError('vmrNotFound', `id: cloud meeting room ${id} does not exist or is not assigned to the caller`);
  }
  Object.assign(vmr, changes);
  return EMPTY_OK;
}
