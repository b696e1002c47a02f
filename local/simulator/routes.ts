import { accountLogin } from './auth/account.js';
import { appIdLogin } from './auth/appauth.js';
import { logout, refreshToken, validateToken } from './auth/token-routes.js';
import { listSpCorps, showSpCorp } from './handlers/corp.js';
import { addResources, deleteResources, queryResources, updateResources } from './handlers/resources.js';
import { queryResourceRecords } from './handlers/resource-records.js';
import { listCorpVmrs, listMemberVmrs, updateMemberVmr } from './handlers/vmr.js';
import type { Route } from './router.js';

/** Every Huawei path the simulator serves: the one list of its routes. */
export const HUAWEI_ROUTES: readonly Route[] = [
  { method: 'POST', pattern: '/v1/usg/acs/auth/account', handler: accountLogin },
  { method: 'POST', pattern: '/v2/usg/acs/auth/appauth', handler: appIdLogin },
  { method: 'PUT', pattern: '/v1/usg/acs/token', handler: refreshToken },
  { method: 'POST', pattern: '/v1/usg/acs/token/validate', handler: validateToken },
  { method: 'DELETE', pattern: '/v1/usg/acs/token', handler: logout },
  { method: 'GET', pattern: '/v1/usg/dcs/member/vmr', handler: listMemberVmrs },
  { method: 'PUT', pattern: '/v1/usg/dcs/member/vmr/:id', handler: updateMemberVmr },
  { method: 'GET', pattern: '/v1/usg/dcs/corp/vmr', handler: listCorpVmrs },
  { method: 'GET', pattern: '/v1/usg/dcs/sp/corp', handler: listSpCorps },
  { method: 'GET', pattern: '/v1/usg/dcs/sp/corp/:id', handler: showSpCorp },
  { method: 'GET', pattern: '/v1/usg/dcs/sp/corp/:corp_id/resource', handler: queryResources },
  { method: 'POST', pattern: '/v1/usg/dcs/sp/corp/:corp_id/resource', handler: addResources },
  { method: 'PUT', pattern: '/v1/usg/dcs/sp/corp/:corp_id/resource', handler: updateResources },
  { method: 'POST', pattern: '/v1/usg/dcs/sp/corp/:corp_id/resource/delete', handler: deleteResources },
  { method: 'GET', pattern: '/v1/usg/dcs/sp/corp/:corp_id/resource-record', handler: queryResourceRecords },
];
