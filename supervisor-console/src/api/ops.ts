import type { ApiClient } from '@kit/http.ts';
import type { AddJusticeBody, JusticeEntry, ListJusticeReply, PartnerListsReply, SearchNumberBody, SuppressionUploadReply } from '@passerelle/shared/api/blocklists';
import type { ConfirmMappingBody, ImportView } from '@passerelle/shared/api/imports';
import type { HoursRow } from '@passerelle/shared/api/reports';

/** Blocklists, hours report and partner files. Numbers travel only in request bodies. */
export function opsApi(api: ApiClient) {
  return {
    listJustice: (offset = 0) => api.get<ListJusticeReply>('/api/admin/blocklist', { limit: 100, offset }),
    searchJustice: (body: SearchNumberBody) => api.post<{ items: JusticeEntry[] }>('/api/admin/blocklist/search', body),
    addJustice: (body: AddJusticeBody) => api.post<JusticeEntry>('/api/admin/blocklist', body),
    removeJustice: (id: string) => api.delete(`/api/admin/blocklist/${id}`),

    hours: (q: { from: string; to: string; group: 'day' | 'week' }) =>
      api.get<{ timeZone: string; group: 'day' | 'week'; items: HoursRow[] }>('/api/reports/hours', q),

    uploadImport: (campaignId: string, file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.upload<ImportView>(`/api/campaigns/${campaignId}/imports`, form);
    },
    getImport: (id: string) => api.get<ImportView>(`/api/imports/${id}`),
    confirmMapping: (id: string, body: ConfirmMappingBody) => api.post<ImportView>(`/api/imports/${id}/mapping`, body),
    acceptImport: (id: string) => api.post<ImportView>(`/api/imports/${id}/accept`),
    cancelImport: (id: string) => api.post<ImportView>(`/api/imports/${id}/cancel`),

    suppressionCounts: (partnerId: string) => api.get<PartnerListsReply>(`/api/partners/${partnerId}/suppressions`),
    uploadSuppressions: (partnerId: string, region: string, file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.upload<SuppressionUploadReply>(`/api/partners/${partnerId}/suppressions?region=${encodeURIComponent(region)}`, form);
    },
  };
}
