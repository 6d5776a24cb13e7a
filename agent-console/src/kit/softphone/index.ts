export { Softphone, type CallStatus, type SipCredentials, type SoftphoneHealth, type SoftphoneOptions, type SoftphoneState } from './softphone.ts';
export { useSoftphone, type UseSoftphone } from './useSoftphone.ts';
export { failureMessage, registrationMessage } from './messages.ts';
export { PhoneControls } from './PhoneControls.tsx';
