/**
 * Synthetic chat text in English, French and Chinese for the store benchmark: sentences built
 * from templates and word lists. Words are drawn with a Zipf-like law (the first words of each
 * list are common, the last ones rare), so searches meet the same spread of very frequent, rare
 * and absent terms that a real history has. Everything is driven by a seeded generator, so a run
 * with the same seed writes the same text.
 */

import { seededRandom } from '../../testing/seededRandom';

export { seededRandom };

export type Language = 'en' | 'fr' | 'zh';

/** Draws from a list, the first items most often (weight 1 / (rank + 2)). */
class Zipf<T> {
  private readonly items: readonly T[];
  private readonly cumulative: number[];
  constructor(items: readonly T[], exponent = 1) {
    if (items.length === 0) throw new Error('an empty word list');
    this.items = items;
    let total = 0;
    const running = items.map((_, i) => (total += 1 / Math.pow(i + 2, exponent)));
    this.cumulative = running.map((sum) => sum / total);
  }
  pick(random: () => number): T {
    const r = random();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 1) < r) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo] as T;
  }
}

/** One item of a non-empty list, uniformly. */
const anyOf = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const words = (text: string): string[] =>
  text
    .split(/[|\n]/u)
    .map((word) => word.trim())
    .filter((word) => word.length > 0);

// ---------------------------------------------------------------- English
const EN_NOUNS = words(`
  file | project | database | meeting | budget | report | server | function | model | error |
  question | team | schedule | document | email | customer | price | update | test | design |
  feature | user | query | table | release | page | script | recipe | trip | flight | hotel |
  invoice | contract | presentation | summary | translation | draft | slide | chart | index |
  backup | password | account | network | laptop | browser | library | variable | loop | class |
  deadline | manager | colleague | interview | resume | cover letter | proposal | strategy |
  campaign | market | revenue | forecast | spreadsheet | dashboard | workflow | pipeline |
  container | cluster | deployment | migration | schema | endpoint | token | prompt | dataset |
  benchmark | latency | throughput | memory | cache | thread | process | kernel | compiler |
  garden | kitchen | weather | museum | concert | restaurant | apartment | neighbour | doctor |
  appointment | insurance | mortgage | warranty | refund | subscription | newsletter | podcast |
  vaccine | allergy | marathon | bicycle | telescope | volcano | glacier | orchid | lighthouse |
  harpsichord | origami | sourdough | kombucha | quasar | archipelago | tapestry | saxophone
`);
const EN_VERBS = words(`
  check | update | fix | write | review | explain | send | prepare | translate | summarize |
  compare | test | deploy | schedule | cancel | book | organise | install | configure | debug |
  refactor | optimise | rewrite | document | analyse | estimate | measure | migrate | archive |
  export | import | restore | merge | rename | validate | benchmark | profile | negotiate |
  simplify | clarify | reschedule | postpone | approve | reject | publish | proofread | visualise
`);
const EN_ADJECTIVES = words(`
  new | important | simple | quick | final | short | detailed | clear | current | previous |
  better | slow | secure | cheap | urgent | complete | correct | main | weekly | monthly |
  formal | friendly | concise | reliable | scalable | expensive | accessible | robust |
  ambiguous | redundant | deprecated | asynchronous | idempotent | meticulous | whimsical
`);
const EN_TIMES = words(`
  today | tomorrow | this week | next week | on Monday | before Friday | by the end of the month |
  after lunch | this evening | as soon as possible | before the meeting | next quarter
`);
const EN_PLACES = words(`
  in the report | for the team | on the server | in the document | for the customer |
  in the database | on the dashboard | in the email | for the presentation | in production
`);
const EN_NAMES = words(
  `Alice | Marc | Sophie | David | Emma | Thomas | Julia | Kevin | Nadia | Oliver`,
);

const EN_TEMPLATES: ((r: () => number) => string)[] = [
  (r) => `Can you ${v(r)} the ${n(r)} ${t(r)}?`,
  (r) => `I need to ${v(r)} the ${a(r)} ${n(r)} ${p(r)}.`,
  (r) => `Please ${v(r)} this ${n(r)} and make it more ${a(r)}.`,
  (r) => `The ${n(r)} is too ${a(r)}, so we should ${v(r)} the ${n(r)} ${t(r)}.`,
  (r) => `Here is a ${a(r)} ${n(r)} that you can ${v(r)} ${t(r)}.`,
  (r) => `${cap(name(r))} asked me to ${v(r)} the ${n(r)} ${p(r)}.`,
  (r) => `First, ${v(r)} the ${n(r)}; then ${v(r)} the ${a(r)} ${n(r)}.`,
  (r) => `What is the best way to ${v(r)} a ${a(r)} ${n(r)}?`,
  (r) => `You could also ${v(r)} the ${n(r)} ${p(r)} to keep it ${a(r)}.`,
  (r) => `In short, the ${n(r)} depends on the ${n(r)} and the ${n(r)}.`,
  (r) => `- ${cap(v(r))} the ${n(r)} ${t(r)}.`,
  (r) => `Thanks, the ${a(r)} ${n(r)} looks good to me.`,
];
const enNoun = new Zipf(EN_NOUNS);
const enVerb = new Zipf(EN_VERBS);
const enAdjective = new Zipf(EN_ADJECTIVES);
const enTime = new Zipf(EN_TIMES);
const enPlace = new Zipf(EN_PLACES);
const enName = new Zipf(EN_NAMES, 0.5);
const n = (r: () => number) => enNoun.pick(r);
const v = (r: () => number) => enVerb.pick(r);
const a = (r: () => number) => enAdjective.pick(r);
const t = (r: () => number) => enTime.pick(r);
const p = (r: () => number) => enPlace.pick(r);
const name = (r: () => number) => enName.pick(r);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------- French
// Nouns carry their article so that templates need no agreement rules.
const FR_NOUNS = words(`
  le fichier | le projet | la base de données | la réunion | le budget | le rapport |
  le serveur | la fonction | le modèle | l'erreur | la question | l'équipe | le calendrier |
  le document | le courriel | le client | le prix | la mise à jour | le test | la conception |
  l'utilisateur | la requête | le tableau | la version | la page | le script | la recette |
  le voyage | le vol | l'hôtel | la facture | le contrat | la présentation | le résumé |
  la traduction | le brouillon | la diapositive | le graphique | la sauvegarde | le mot de passe |
  le compte | le réseau | l'ordinateur | le navigateur | la bibliothèque | la variable |
  l'échéance | le responsable | le collègue | l'entretien | le curriculum | la proposition |
  la stratégie | la campagne | le marché | le chiffre d'affaires | la prévision | le problème |
  le système | la mémoire | la sécurité | la fenêtre | le thème | l'école | l'hôpital | l'élève |
  le café | la boulangerie | la pâtisserie | le médecin | le rendez-vous | l'assurance |
  le déménagement | la crème brûlée | le château | la forêt | la plage | le fromage | l'été |
  l'hiver | la grève | le remboursement | l'abonnement | la préfecture | le notaire |
  la tartiflette | le kangourou | la cathédrale | l'aquarelle | le théâtre | la pétanque
`);
const FR_VERBS = words(`
  vérifier | mettre à jour | corriger | écrire | relire | expliquer | envoyer | préparer |
  traduire | résumer | comparer | tester | déployer | planifier | annuler | réserver |
  organiser | installer | configurer | déboguer | réécrire | documenter | analyser | estimer |
  mesurer | migrer | archiver | exporter | importer | restaurer | fusionner | renommer |
  valider | négocier | simplifier | clarifier | reporter | approuver | refuser | publier
`);
const FR_ADJECTIVES = words(`
  nouveau | important | simple | rapide | final | court | détaillé | clair | actuel | précédent |
  meilleur | lent | sécurisé | urgent | complet | correct | principal | hebdomadaire | mensuel |
  formel | concis | fiable | coûteux | accessible | élégant | ambigu | désuet | éphémère
`);
const FR_TIMES = words(`
  aujourd'hui | demain | cette semaine | la semaine prochaine | lundi | avant vendredi |
  d'ici la fin du mois | après le déjeuner | ce soir | dès que possible | avant la réunion |
  au prochain trimestre | déjà
`);
const FR_PLACES = words(`
  dans le rapport | pour l'équipe | sur le serveur | dans le document | pour le client |
  dans la base de données | sur le tableau de bord | dans le courriel | pour la présentation |
  en production
`);
const FR_NAMES = words(
  `Élodie | Hélène | François | Jérôme | Zoé | Noël | Benoît | Chloé | Loïc | Inès`,
);
const frNoun = new Zipf(FR_NOUNS);
const frVerb = new Zipf(FR_VERBS);
const frAdjective = new Zipf(FR_ADJECTIVES);
const frTime = new Zipf(FR_TIMES);
const frPlace = new Zipf(FR_PLACES);
const frName = new Zipf(FR_NAMES, 0.5);
const fn = (r: () => number) => frNoun.pick(r);
const fv = (r: () => number) => frVerb.pick(r);
const fa = (r: () => number) => frAdjective.pick(r);
const ft = (r: () => number) => frTime.pick(r);
const fp = (r: () => number) => frPlace.pick(r);

const FR_TEMPLATES: ((r: () => number) => string)[] = [
  (r) => `Peux-tu ${fv(r)} ${fn(r)} ${ft(r)} ?`,
  (r) => `Je dois ${fv(r)} ${fn(r)} ${fp(r)}.`,
  (r) => `Merci de ${fv(r)} ${fn(r)} pour qu'il soit plus ${fa(r)}.`,
  (r) => `${cap(fn(r))} est trop ${fa(r)}, il faudrait ${fv(r)} ${fn(r)} ${ft(r)}.`,
  (r) => `Voici ${fn(r)} ${fa(r)} que tu peux ${fv(r)} ${ft(r)}.`,
  (r) => `${frName.pick(r)} m'a demandé de ${fv(r)} ${fn(r)} ${fp(r)}.`,
  (r) => `D'abord, ${fv(r)} ${fn(r)} ; ensuite, ${fv(r)} ${fn(r)}.`,
  (r) => `Quelle est la meilleure façon de ${fv(r)} ${fn(r)} ?`,
  (r) => `Tu pourrais aussi ${fv(r)} ${fn(r)} ${fp(r)} pour garder quelque chose de ${fa(r)}.`,
  (r) => `En résumé, ${fn(r)} dépend de ${fn(r)} et de ${fn(r)}.`,
  (r) => `- ${cap(fv(r))} ${fn(r)} ${ft(r)}.`,
  (r) => `Très bien, ${fn(r)} me paraît ${fa(r)}.`,
];

// ---------------------------------------------------------------- Chinese
const ZH_NOUNS = words(`
  数据 | 项目 | 数据库 | 会议 | 预算 | 报告 | 服务器 | 函数 | 模型 | 错误 | 问题 | 团队 | 日程 |
  文件 | 邮件 | 客户 | 价格 | 更新 | 测试 | 设计 | 功能 | 用户 | 查询 | 表格 | 版本 | 页面 |
  脚本 | 菜谱 | 旅行 | 航班 | 酒店 | 发票 | 合同 | 演示文稿 | 摘要 | 翻译 | 草稿 | 图表 | 索引 |
  备份 | 密码 | 账户 | 网络 | 电脑 | 浏览器 | 代码 | 变量 | 截止日期 | 经理 | 同事 | 面试 |
  简历 | 方案 | 策略 | 市场 | 收入 | 预测 | 仪表板 | 工作流程 | 容器 | 集群 | 部署 | 迁移 |
  接口 | 提示词 | 数据集 | 基准测试 | 延迟 | 内存 | 缓存 | 线程 | 进程 | 内核 | 编译器 |
  人工智能 | 机器学习 | 天气 | 博物馆 | 音乐会 | 餐厅 | 公寓 | 医生 | 保险 | 房贷 | 退款 |
  订阅 | 疫苗 | 马拉松 | 自行车 | 望远镜 | 冰川 | 兰花 | 灯塔 | 折纸 | 酸面包 | 书法 | 京剧
`);
const ZH_VERBS = words(`
  检查 | 更新 | 修复 | 编写 | 审阅 | 解释 | 发送 | 准备 | 翻译 | 总结 | 比较 | 测试 | 部署 |
  安排 | 取消 | 预订 | 组织 | 安装 | 配置 | 调试 | 重构 | 优化 | 改写 | 分析 | 估算 | 测量 |
  迁移 | 归档 | 导出 | 导入 | 恢复 | 合并 | 重命名 | 验证 | 谈判 | 简化 | 澄清 | 推迟 | 批准
`);
const ZH_ADJECTIVES = words(`
  新的 | 重要的 | 简单的 | 快速的 | 最终的 | 简短的 | 详细的 | 清楚的 | 当前的 | 之前的 |
  更好的 | 缓慢的 | 安全的 | 便宜的 | 紧急的 | 完整的 | 正确的 | 主要的 | 每周的 | 每月的 |
  正式的 | 友好的 | 可靠的 | 昂贵的 | 稳定的 | 复杂的 | 优雅的
`);
const ZH_TIMES = words(`
  今天 | 明天 | 这周 | 下周 | 周一 | 周五之前 | 月底之前 | 午饭后 | 今晚 | 尽快 | 会议之前 | 下个季度
`);
const ZH_NAMES = words(`小王 | 李明 | 张伟 | 王芳 | 刘洋 | 陈静 | 杨磊 | 赵敏`);
const zhNoun = new Zipf(ZH_NOUNS);
const zhVerb = new Zipf(ZH_VERBS);
const zhAdjective = new Zipf(ZH_ADJECTIVES);
const zhTime = new Zipf(ZH_TIMES);
const zhName = new Zipf(ZH_NAMES, 0.5);
const zn = (r: () => number) => zhNoun.pick(r);
const zv = (r: () => number) => zhVerb.pick(r);
const za = (r: () => number) => zhAdjective.pick(r);
const zt = (r: () => number) => zhTime.pick(r);

const ZH_TEMPLATES: ((r: () => number) => string)[] = [
  (r) => `你能${zt(r)}${zv(r)}这个${zn(r)}吗？`,
  (r) => `我需要${zv(r)}${za(r)}${zn(r)}。`,
  (r) => `请帮我${zv(r)}${zn(r)}，让它更${za(r).slice(0, -1)}一些。`,
  (r) => `这个${zn(r)}太${za(r).slice(0, -1)}了，我们应该${zt(r)}${zv(r)}${zn(r)}。`,
  (r) => `这是一个${za(r)}${zn(r)}，你可以${zt(r)}${zv(r)}它。`,
  (r) => `${zhName.pick(r)}让我${zv(r)}${zn(r)}的${zn(r)}。`,
  (r) => `首先${zv(r)}${zn(r)}，然后${zv(r)}${za(r)}${zn(r)}。`,
  (r) => `${zv(r)}${za(r)}${zn(r)}的最好方法是什么？`,
  (r) => `你也可以${zv(r)}${zn(r)}，保持${zn(r)}${za(r).slice(0, -1)}。`,
  (r) => `总之，${zn(r)}取决于${zn(r)}和${zn(r)}。`,
  (r) => `- ${zt(r)}${zv(r)}${zn(r)}。`,
  (r) => `谢谢，这个${za(r)}${zn(r)}看起来不错。`,
];

const TEMPLATES: Record<Language, ((r: () => number) => string)[]> = {
  en: EN_TEMPLATES,
  fr: FR_TEMPLATES,
  zh: ZH_TEMPLATES,
};

/**
 * A message of about `targetChars` characters (never more than `maxChars`): whole sentences
 * while they fit, the last one cut at a character boundary when even the first is too long.
 */
export function message(
  random: () => number,
  language: Language,
  targetChars: number,
  maxChars: number,
): string {
  const templates = TEMPLATES[language];
  const separator = language === 'zh' ? '' : ' ';
  let text = '';
  for (;;) {
    const sentence = anyOf(random, templates)(random);
    const next = text ? text + (sentence.startsWith('- ') ? '\n' : separator) + sentence : sentence;
    if (next.length > maxChars) return text || [...sentence].slice(0, maxChars).join('');
    text = next;
    if (text.length >= targetChars) return text;
  }
}

/** A conversation title: a short noun phrase in the language. */
export function title(random: () => number, language: Language): string {
  if (language === 'en') return cap(`${a(random)} ${n(random)} ${p(random)}`);
  if (language === 'fr') return cap(`${fn(random)} ${fp(random)}`);
  return `${zn(random)}的${zn(random)}`;
}

/** The word lists, for building queries of known frequency (index 0 is the most common). */
export const VOCABULARY = {
  en: { nouns: EN_NOUNS, verbs: EN_VERBS, adjectives: EN_ADJECTIVES },
  fr: { nouns: FR_NOUNS, verbs: FR_VERBS, adjectives: FR_ADJECTIVES },
  zh: { nouns: ZH_NOUNS, verbs: ZH_VERBS, adjectives: ZH_ADJECTIVES },
};
