/** "Ma progression" feature of the agent console. */
export { MyProgressPage } from './MyProgressPage.tsx';
export { myProgressEn, myProgressFr } from './locales.ts';
