import type { Messages } from '../kit/locales/fr.ts';
import type { agentFr } from './fr.ts';
import { myProgressEn } from '../features/progress/locales.ts';

export const agentEn: Messages<typeof agentFr> = {
  agent: {
    consoleName: 'Agent workstation',
    wrongRole: {
      title: 'This console is for agents only',
      body: 'Your account ({{role}}) uses the supervisor console.',
      link: 'Open the supervisor console',
    },
    nav: { home: 'Home', progress: 'My progress' },
    user: 'Signed in as {{name}}',
  },
  status: {
    label: 'Workstation status',
    state: {
      offline: 'Offline',
      ready: 'Ready',
      offered: 'Call offered',
      dialing: 'Dialling',
      ringing: 'Ringing',
      paused: 'Paused',
      in_call: 'On a call',
      wrap_up: 'Wrap-up',
    },
    pauseReason: { pause: 'Pause', training: 'Training', break: 'Meal break', technical: 'Technical problem' },
    pausedWith: 'Paused — {{reason}}',
    pendingPause: 'Pause requested after the call: {{reason}}',
    timer: 'Time in this state',
    health: 'Connection health',
    item: { server: 'Server', sip: 'Telephony', audio: 'Headset' },
    level: { ok: 'OK', warning: 'Unstable', down: 'Down', unknown: 'Not checked' },
    detail: {
      serverOk: 'Connected to the server.',
      serverDown: 'Connection to the server lost: reconnecting automatically. If this lasts more than a minute, check the network cable and tell your trainer.',
      sipUnknown: 'Telephony not connected yet.',
      audioUnknown: 'Headset and microphone not checked yet.',
    },
  },
  home: {
    greeting: 'Hello, {{name}}',
    today: 'Today is {{date}}.',
    session: {
      title: 'My session',
      pseudonym: 'Pseudonym',
      workstationBound: 'Session bound to this workstation',
      workstationBoundValue: 'yes — sign-in only works from the training room',
      idleLock: 'Automatic lock',
      idleLockValue: 'after {{minutes}} min without activity',
    },
    progress: {
      title: 'My progress',
      body: 'Your trainers’ evaluations, competency by competency, and your next objectives.',
      open: 'See my progress',
    },
    help: {
      title: 'Need help?',
      body: 'A trainer is in the room. If your workstation or headset has a problem, raise your hand or tell them.',
    },
  },
  progress: {
    title: 'My progress',
    intro: 'Evaluations published by your trainers (scores per competency, comments, dates) and your objectives. Read only.',
    empty: 'No evaluation published yet.',
    back: 'Back to home',
  },
  myProgress: myProgressEn,
};
