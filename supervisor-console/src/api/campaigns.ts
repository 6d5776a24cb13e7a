import type { ApiClient } from '@kit/http.ts';
import type { CampaignEngine, CampaignStatus, UpdateDialerSettingsBody } from '@passerelle/shared/api/campaign-engine';
import type { CampaignResultsReply, CampaignSummary, CreateCampaignBody, ListCampaignsReply, UpdateCampaignBody } from '@passerelle/shared/api/campaigns';
import type { ImportView } from '@passerelle/shared/api/imports';
import type { CampaignDailyReply } from '@passerelle/shared/api/reports';
import type { ListPartnerChoicesReply, ListTraineesReply } from '@passerelle/shared/api/admin';

/** Campaign calls (a partner caller only ever gets its own campaigns: the server scopes them). */
export function campaignsApi(api: ApiClient) {
  return {
    list: (query: { partnerId?: string; type?: string } = {}) => api.get<ListCampaignsReply>('/api/campaigns', query),
    get: (id: string) => api.get<CampaignSummary>(`/api/campaigns/${id}`),
    create: (body: CreateCampaignBody) => api.post<CampaignSummary>('/api/campaigns', body),
    update: (id: string, body: UpdateCampaignBody) => api.patch<CampaignSummary>(`/api/campaigns/${id}`, body),
    dialing: (id: string) => api.get<CampaignEngine>(`/api/campaigns/${id}/dialing`),
    updateDialing: (id: string, body: UpdateDialerSettingsBody) => api.patch<CampaignEngine>(`/api/campaigns/${id}/dialing`, body),
    transition: (id: string, to: CampaignStatus, reason?: string) => api.post<CampaignEngine>(`/api/campaigns/${id}/transition`, { to, reason }),
    assignTrainees: (id: string, traineeIds: string[]) => api.put<CampaignEngine>(`/api/campaigns/${id}/trainees`, { traineeIds }),
    trainees: () => api.get<ListTraineesReply>('/api/trainees'),
    partners: () => api.get<ListPartnerChoicesReply>('/api/partners'),
    imports: (id: string) => api.get<{ items: ImportView[] }>(`/api/campaigns/${id}/imports`),
    results: (id: string, after?: string) => api.get<CampaignResultsReply>(`/api/campaigns/${id}/results`, { after, limit: 5000 }),
    /** Counters per day (not an export: nothing is audited). */
    daily: (id: string, days = 14) => api.get<CampaignDailyReply>(`/api/campaigns/${id}/daily`, { days }),
    purge: (id: string, reason: string) => api.post<void>(`/api/campaigns/${id}/purge`, { reason }),
  };
}

/** Every results page of a campaign (the server caps a page at 5,000 contacts). */
export async function allResults(api: ApiClient, id: string): Promise<CampaignResultsReply> {
  const c = campaignsApi(api);
  const first = await c.results(id);
  const items = [...first.items];
  let next = first.next;
  while (next) {
    const page = await c.results(id, next);
    items.push(...page.items);
    next = page.next;
  }
  return { ...first, items, next: null };
}
