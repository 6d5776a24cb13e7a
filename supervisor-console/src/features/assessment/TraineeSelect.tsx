import { useTranslation } from 'react-i18next';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { assessmentApi } from './api.ts';

/** Trainee picker (pseudonyms only). */
export function TraineeSelect({ value, onChange, allowAll = false }: { value: string; onChange: (id: string) => void; allowAll?: boolean }) {
  const { t } = useTranslation();
  const trainees = useApiQuery('trainees', (api) => assessmentApi(api).trainees());
  return (
    <div className="field">
      <label htmlFor="trainee-select">{t('assessment.trainee')}</label>
      <select id="trainee-select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{allowAll ? t('assessment.list.all') : t('assessment.chooseTrainee')}</option>
        {trainees.data?.map((tr) => (
          <option key={tr.id} value={tr.id}>
            {tr.displayName}
          </option>
        ))}
      </select>
    </div>
  );
}
