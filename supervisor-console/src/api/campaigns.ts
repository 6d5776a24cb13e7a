import type { ApiClient } from '@kit/http.ts';
import type { ListCampaignsReply } from '@passerelle/shared/api/campaigns';

/** Campaign calls (a partner caller only ever gets its own campaigns: the server scopes them). */
export function campaignsApi(api: ApiClient) {
  return {
    list: (query: { partnerId?: string; type?: string } = {}) => api.get<ListCampaignsReply>('/api/campaigns', query),
  };
}
