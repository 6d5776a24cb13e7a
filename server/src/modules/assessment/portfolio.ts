import type { ScorecardGrid } from '@passerelle/shared/scoring';
import type { Db } from '../../db/database.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import type { Evaluations } from './evaluations.ts';
import type { Reviews } from './reviews.ts';
import type { Scorecards } from './scorecards.ts';

type EvaluationDetail = Awaited<ReturnType<Evaluations['detail']>>;
type Review = Awaited<ReturnType<Reviews['get']>>;

export interface PortfolioData {
  traineeName: string;
  generatedAt: Date;
  timeZone: string;
  grid: ScorecardGrid;
  evaluations: EvaluationDetail[];
  reviews: Review[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const score = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2).replace('.', ','));
const clock = (ms: number) => `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;
const kindLabel: Record<string, string> = { initial: 'Bilan pédagogique initial', follow_up: 'Bilan de suivi', final: 'Bilan final' };
const typeLabel: Record<string, string> = { appointment: 'Prise de rendez-vous', loyalty: 'Fidélisation', after_sales: 'Service après-vente' };

/**
 * Evidence portfolio for the Dossier Professionnel: only the trainee's pseudonym, dates, scores
 * and the trainers' comments. Nothing about the partner, the campaign or the person called.
 */
export class Portfolios {
  constructor(
    private readonly db: Db,
    private readonly scorecards: Scorecards,
    private readonly evaluations: Evaluations,
    private readonly reviews: Reviews,
    private readonly chromiumPath: string,
    private readonly timeZone: string,
  ) {}

  async data(traineeId: string, evaluationIds: string[] | null): Promise<PortfolioData> {
    const trainee = await this.db.selectFrom('users').select(['displayName', 'role']).where('id', '=', traineeId).executeTakeFirst();
    if (trainee?.role !== 'trainee') throw notFound('Stagiaire');
    let q = this.db.selectFrom('evaluations').select('id').where('traineeId', '=', traineeId).where('status', '=', 'final').where('calibrationSessionId', 'is', null);
    if (evaluationIds) q = q.where('id', 'in', evaluationIds.length > 0 ? evaluationIds : ['00000000-0000-0000-0000-000000000000']);
    const ids = (await q.orderBy('callAt').execute()).map((r) => r.id);
    if (evaluationIds && ids.length !== new Set(evaluationIds).size) throw badRequest('INVALID_EVALUATIONS', 'Le portfolio ne contient que des évaluations définitives de ce stagiaire.');
    return {
      traineeName: trainee.displayName,
      generatedAt: new Date(),
      timeZone: this.timeZone,
      grid: (await this.scorecards.defaultLatest()).grid,
      evaluations: await Promise.all(ids.map((id) => this.evaluations.detail(id))),
      reviews: (await this.reviews.listFor(traineeId)).reverse(),
    };
  }

  html(d: PortfolioData): string {
    const date = (at: Date) => at.toLocaleDateString('fr-FR', { timeZone: d.timeZone, day: '2-digit', month: '2-digit', year: 'numeric' });
    const dateTime = (at: Date) => `${date(at)} ${at.toLocaleTimeString('fr-FR', { timeZone: d.timeZone, hour: '2-digit', minute: '2-digit' })}`;
    const isoDate = (s: string) => s.split('-').reverse().join('/');
    const callType = (e: EvaluationDetail) => (e.isPractice ? 'Mise en situation' : (typeLabel[e.campaignType ?? ''] ?? 'Appel'));
    const scaleLabel = (v: number) => d.grid.scale.find((l) => l.value === v)?.label ?? String(v);
    const criterionLabel = new Map(d.evaluations.flatMap((e) => e.grid.competencies.flatMap((c) => c.criteria.map((k) => [k.id, k.label] as const))));
    const competencyLabel = new Map(d.grid.competencies.map((c) => [c.id, c.label]));

    const summary = d.grid.competencies
      .map((c) => {
        const scores = d.evaluations.map((e) => e.result.competencies.find((x) => x.id === c.id)?.score).filter((v): v is number => typeof v === 'number');
        const avg = scores.length ? scores.reduce((s, v) => s + v, 0) / scores.length : null;
        return `<tr><td>${esc(c.block)}</td><td>${esc(c.label)}</td><td class="n">${scores.length}</td><td class="n">${score(avg)}</td><td class="n">${score(scores.at(-1))}</td></tr>`;
      })
      .join('');

    const perCompetency = d.grid.blocks
      .map((b) => {
        const comps = d.grid.competencies.filter((c) => c.block === b.code);
        return `<h3>${esc(b.code)} — ${esc(b.label)}</h3>${comps
          .map((c) => {
            const rows = d.evaluations
              .map((e) => ({ e, r: e.result.competencies.find((x) => x.id === c.id) }))
              .filter(({ r }) => r && r.score !== null)
              .map(({ e, r }) => {
                const criteria = e.result.criteria
                  .filter((k) => k.competencyId === c.id)
                  .map((k) => `${esc(criterionLabel.get(k.id) ?? k.id)} : ${k.na ? 's.o.' : k.value === null ? '—' : k.value}${k.criticalFailure ? ' ⚠' : ''}`)
                  .join(' · ');
                const notes = e.comments
                  .filter((m) => m.criterionId && e.grid.competencies.find((x) => x.id === c.id)?.criteria.some((k) => k.id === m.criterionId))
                  .map((m) => `<div class="note">${m.atMs !== null ? `[${clock(m.atMs)}] ` : ''}${esc(m.body)}</div>`)
                  .join('');
                return `<tr><td>${date(e.callAt)}</td><td>${esc(callType(e))}</td><td class="n">${score(r!.score)}${r!.capped ? ' (plafonné)' : ''}</td><td>${criteria}${notes}</td></tr>`;
              })
              .join('');
            return `<h4>${esc(c.label)}</h4>${rows ? `<table><thead><tr><th>Date</th><th>Appel</th><th>Score</th><th>Critères et commentaires</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="empty">Aucun appel évalué sur cette compétence.</p>'}`;
          })
          .join('')}`;
      })
      .join('');

    const details = d.evaluations
      .map((e) => {
        const fields = e.grid.commentFields
          .filter((f) => e.commentFields[f.id]?.trim())
          .map((f) => `<p><strong>${esc(f.label)} :</strong> ${esc(e.commentFields[f.id]!)}</p>`)
          .join('');
        const moments = e.comments.map((m) => `<li>${m.atMs !== null ? `<span class="t">${clock(m.atMs)}</span> ` : ''}${esc(m.body)} <em>— ${esc(m.authorName)}</em></li>`).join('');
        const critical = e.result.criticalFailures.length
          ? `<p class="warn">Élément critique manqué : ${e.result.criticalFailures.map((id) => esc(criterionLabel.get(id) ?? id)).join(', ')} (score plafonné).</p>`
          : '';
        return `<section class="call"><h3>${dateTime(e.callAt)} — ${esc(callType(e))}</h3>
          <p>Durée : ${e.callDurationS === null ? '—' : clock(e.callDurationS * 1000)} · Évaluateur : ${esc(e.evaluatorName)} · Grille : ${esc(e.scorecardName)} v${e.scorecardVersion} · Score global : <strong>${score(e.result.overall)}</strong> / ${Math.max(...e.grid.scale.map((l) => l.value))}</p>
          ${critical}${fields}${moments ? `<ul class="moments">${moments}</ul>` : ''}</section>`;
      })
      .join('');

    const reviews = d.reviews
      .map(
        (r) => `<section class="review"><h3>${esc(kindLabel[r.kind] ?? r.kind)} — ${isoDate(r.reviewDate)}</h3>
        <p>Formateur : ${esc(r.trainerName)}${r.nextReviewDate ? ` · Prochain bilan : ${isoDate(r.nextReviewDate)}` : ''}</p>
        <table><thead><tr><th>Compétence</th><th>Niveau</th></tr></thead><tbody>${Object.entries(r.competencyLevels)
          .map(([id, v]) => `<tr><td>${esc(competencyLabel.get(id) ?? id)}</td><td>${esc(scaleLabel(v))} (${v})</td></tr>`)
          .join('')}</tbody></table>
        ${r.objectives.length ? `<p><strong>Objectifs :</strong></p><ul>${r.objectives.map((o) => `<li>${esc(o)}</li>`).join('')}</ul>` : ''}
        ${r.comments ? `<p>${esc(r.comments)}</p>` : ''}
        <p class="small">Évaluations prises en compte : ${r.evaluationIds.length}</p></section>`,
      )
      .join('');

    return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Portfolio — ${esc(d.traineeName)}</title><style>
      @page { size: A4; margin: 16mm 14mm; }
      body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10.5pt; color: #1b1b1b; }
      h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 14pt; border-bottom: 2px solid #1d4e89; padding-bottom: 3pt; color: #1d4e89; }
      h3 { font-size: 12pt; margin: 12pt 0 4pt; } h4 { font-size: 11pt; margin: 10pt 0 3pt; }
      table { width: 100%; border-collapse: collapse; margin: 4pt 0; } th, td { border: 1px solid #bbb; padding: 3pt 5pt; vertical-align: top; text-align: left; }
      th { background: #e8eef6; } td.n { text-align: right; white-space: nowrap; } .note { color: #444; font-style: italic; margin-top: 2pt; }
      .page { page-break-before: always; } .warn { color: #9b1c1c; } .small, .empty { color: #666; font-size: 9pt; } .t { font-family: monospace; }
      section { page-break-inside: avoid; }
    </style></head><body>
      <h1>Portfolio de preuves</h1>
      <p>Titre professionnel Conseiller relation client à distance (RNCP35304)</p>
      <p><strong>Stagiaire :</strong> ${esc(d.traineeName)}<br><strong>Édité le :</strong> ${dateTime(d.generatedAt)}<br><strong>Appels évalués :</strong> ${d.evaluations.length} · <strong>Bilans :</strong> ${d.reviews.length}</p>
      <h2>Synthèse par compétence</h2>
      <table><thead><tr><th>Bloc</th><th>Compétence</th><th>Appels</th><th>Moyenne</th><th>Dernier</th></tr></thead><tbody>${summary}</tbody></table>
      <p class="small">Échelle : ${d.grid.scale.map((l) => `${l.value} = ${esc(l.label)}`).join(' ; ')}. Document sans donnée des partenaires ni des personnes appelées.</p>
      <div class="page"><h2>Appels évalués par compétence</h2>${perCompetency}</div>
      <div class="page"><h2>Détail des appels évalués</h2>${details || '<p class="empty">Aucun appel sélectionné.</p>'}</div>
      <div class="page"><h2>Bilans</h2>${reviews || '<p class="empty">Aucun bilan.</p>'}</div>
    </body></html>`;
  }

  /** Prints the HTML with the system Chromium (no network: the page has no external resource). */
  async pdf(html: string): Promise<Buffer> {
    // Loaded on first use: playwright-core alone weighs ~90 MB of every server process's memory.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: this.chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;color:#666"><span class="pageNumber"></span> / <span class="totalPages"></span></div>', margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
    } finally {
      await browser.close();
    }
  }
}
