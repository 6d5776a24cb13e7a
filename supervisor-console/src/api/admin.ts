import type { ApiClient } from '@kit/http.ts';
import type {
  AdminUser,
  CreateApiKeyBody,
  CreateApiKeyReply,
  CreatePartnerBody,
  CreateSiteBody,
  CreateTeamBody,
  ListTeamsReply,
  Team,
  CreateUserBody,
  CreateWorkstationBody,
  ListApiKeysReply,
  ListAuditQuery,
  ListAuditReply,
  ListPartnersReply,
  ListSitesReply,
  ListUsersQuery,
  ListUsersReply,
  ListWorkstationsReply,
  Partner,
  PartnerMeReply,
  Site,
  UpdatePartnerBody,
  UpdateUserBody,
  UpdateWorkstationBody,
  VerifyAuditReply,
  Workstation,
} from '@passerelle/shared/api/admin';

/** The audit list's query as the console sends it (the schema's input type leaves coerced numbers unknown). */
export type AuditQuery = Omit<ListAuditQuery, 'before' | 'limit'> & { before?: number; limit?: number };

/** Typed calls of the administration API (shapes from @passerelle/shared/api/admin). */
export function adminApi(api: ApiClient) {
  return {
    listUsers: (query: ListUsersQuery = {}) => api.get<ListUsersReply>('/api/admin/users', query),
    createUser: (body: CreateUserBody) => api.post<AdminUser>('/api/admin/users', body),
    updateUser: (id: string, body: UpdateUserBody) => api.patch<AdminUser>(`/api/admin/users/${id}`, body),

    listSites: () => api.get<ListSitesReply>('/api/admin/sites'),
    createSite: (body: CreateSiteBody) => api.post<Site>('/api/admin/sites', body),
    listWorkstations: (siteId?: string) => api.get<ListWorkstationsReply>('/api/admin/workstations', { siteId }),
    createWorkstation: (body: CreateWorkstationBody) => api.post<Workstation>('/api/admin/workstations', body),
    updateWorkstation: (id: string, body: UpdateWorkstationBody) => api.patch<Workstation>(`/api/admin/workstations/${id}`, body),
    deleteWorkstation: (id: string) => api.delete(`/api/admin/workstations/${id}`),

    listTeams: (siteId?: string) => api.get<ListTeamsReply>('/api/teams', { siteId }),
    createTeam: (body: CreateTeamBody) => api.post<Team>('/api/admin/teams', body),
    renameTeam: (id: string, name: string) => api.patch<Team>(`/api/admin/teams/${id}`, { name }),
    setTeamTrainees: (id: string, traineeIds: string[]) => api.put<Team>(`/api/admin/teams/${id}/trainees`, { traineeIds }),
    deleteTeam: (id: string) => api.delete(`/api/admin/teams/${id}`),

    listPartners: () => api.get<ListPartnersReply>('/api/admin/partners'),
    createPartner: (body: CreatePartnerBody) => api.post<Partner>('/api/admin/partners', body),
    updatePartner: (id: string, body: UpdatePartnerBody) => api.patch<Partner>(`/api/admin/partners/${id}`, body),

    listApiKeys: (partnerId: string) => api.get<ListApiKeysReply>(`/api/partners/${partnerId}/api-keys`),
    createApiKey: (partnerId: string, body: CreateApiKeyBody) => api.post<CreateApiKeyReply>(`/api/partners/${partnerId}/api-keys`, body),
    revokeApiKey: (partnerId: string, keyId: string) => api.delete(`/api/partners/${partnerId}/api-keys/${keyId}`),
    partnerMe: () => api.get<PartnerMeReply>('/api/partner/me'),

    listAudit: (query: AuditQuery) => api.get<ListAuditReply>('/api/admin/audit', query),
    verifyAudit: () => api.post<VerifyAuditReply>('/api/admin/audit/verify'),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
