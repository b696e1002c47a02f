import type { SimState, SimUser } from '../state.js';
import type { TokenRecord } from './tokens.js';

/** The UserInfo object of a token answer (the documented fields; unknown ones are null as in examples). */
export function userInfo(user: SimUser, state: SimState, appId: string | null): Record<string, unknown> {
  const corp = user.corpId === null ? undefined : state.corps.get(user.corpId);
  return {
    userId: user.id,
    ucloginAccount: user.account,
    serviceAccount: `sip:${user.id}@huaweicloud.com`,
    numberHA1: null,
    alias1: null,
    companyId: user.corpId,
    spId: user.spId,
    companyDomain: null,
    realm: 'huaweicloud.com',
    userType: user.userType,
    adminType: user.adminType,
    name: user.name,
    nameEn: user.name,
    isBindPhone: null,
    freeUser: false,
    thirdAccount: user.thirdAccount,
    visionAccount: null,
    headPictureUrl: null,
    password: null,
    status: 0,
    paidAccount: null,
    paidPassword: null,
    weLinkUser: false,
    appId,
    tr069Account: null,
    corpType: corp === undefined ? null : 0,
    cloudUserId: null,
    grayUser: false,
  };
}

/** The shared token object (huawei-meeting-api.md §1.3). */
export function tokenResponse(
  record: TokenRecord,
  user: SimUser,
  state: SimState,
  now: number,
  appId: string | null,
): Record<string, unknown> {
  return {
    accessToken: record.accessToken,
    tokenIp: record.tokenIp,
    validPeriod: Math.max(0, Math.floor((record.expiresAt - now) / 1000)),
    expireTime: Math.floor(record.expiresAt / 1000),
    createTime: record.createdAt,
    user: userInfo(user, state, appId),
    clientType: record.clientType,
    forceLoginInd: null,
    firstLogin: false,
    pwdExpired: false,
    daysPwdAvailable: null,
    proxyToken: null,
    delayDelete: false,
    tokenType: 0,
    refreshToken: record.refreshToken,
    refreshValidPeriod: Math.max(0, Math.floor((record.refreshExpiresAt - now) / 1000)),
    refreshExpireTime: Math.floor(record.refreshExpiresAt / 1000),
    refreshCreateTime: record.refreshCreatedAt,
  };
}
