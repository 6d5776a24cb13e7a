import { useTranslation } from 'react-i18next';
import { useAgent } from '../agent/AgentContext.tsx';
import type { HealthItem, HealthLevel } from './StatusBar.tsx';

/** Server link, SIP line and headset, each with a plain sentence saying what to do. */
export function useHealth(): HealthItem[] {
  const { t } = useTranslation();
  const { live, phone, device } = useAgent();
  const server: HealthLevel = live.link === 'connected' ? 'ok' : live.link === 'connecting' ? 'unknown' : 'down';
  const sipHealth = phone.state.health;
  const sip: HealthLevel = sipHealth === 'ready' ? 'ok' : sipHealth === 'failed' ? 'down' : sipHealth === 'reconnecting' ? 'warning' : 'unknown';
  const audio: HealthLevel = !device.done ? 'unknown' : device.micError || device.heard === false ? 'warning' : 'ok';
  return [
    { id: 'server', level: server, detail: t(`status.detail.server.${server}`) },
    { id: 'sip', level: sip, detail: sip === 'down' && phone.state.error ? `${phone.state.error} ${t('status.detail.sipWhatToDo')}` : t(`status.detail.sip.${sipHealth}`) },
    { id: 'audio', level: audio, detail: t(device.micError ? 'status.detail.audio.noMic' : `status.detail.audio.${audio}`) },
  ];
}
