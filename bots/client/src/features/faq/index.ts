import type { FaqItem } from '@vpn/db';
import type { TranslationKey } from '@vpn/i18n';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { truncate } from '../../ui/format.js';
import type { FeatureDeps } from '../feature-deps.js';
import { fillFaqAnswer } from './faq-facts.js';

/** Categories with a translated name; an admin's new category shows under its own name. */
const CATEGORY_NAMES: Record<string, TranslationKey> = {
  general: 'client.faq.categories.general',
  setup: 'client.faq.categories.setup',
  billing: 'client.faq.categories.billing',
  troubleshooting: 'client.faq.categories.troubleshooting',
};

const categoryName = (ctx: ClientContext, category: string): string => {
  const key = CATEGORY_NAMES[category];
  return key ? ctx.t(key) : category.charAt(0).toUpperCase() + category.slice(1);
};

/** Keeps a long answer inside one message (Telegram's 4096 characters, with room for the markup). */
const ANSWER_MAX = 3_500;

/** FAQ from the database, by category: categories → questions → an answer with a way to support. */
export function createFaqFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens } = deps;
  const items = (_ctx: ClientContext) => deps.catalog.faq();
  const categories = async (ctx: ClientContext) => [...new Set((await items(ctx)).map((i) => i.category))];
  const inCategory = async (ctx: ClientContext) => (await items(ctx)).filter((i) => i.category === ctx.session.faq?.category);
  const current = async (ctx: ClientContext): Promise<FaqItem | undefined> =>
    (await items(ctx)).find((i) => i.id === ctx.session.faq?.item);

  const faqMenu = screens.menu('faq').dynamic(async (ctx, range) => {
    for (const category of await categories(ctx)) {
      range
        .text(categoryName(ctx, category), async (c) => {
          c.session.faq = { category };
          await screens.show(c, 'fqc');
        })
        .row();
    }
  });
  faqMenu.text((ctx) => ctx.t('client.menu.support'), screens.to('sup')).text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({
    id: 'faq',
    menu: faqMenu,
    text: async (ctx) => ctx.t((await categories(ctx)).length > 0 ? 'client.faq.title' : 'client.faq.empty'),
  });

  const fqcMenu = screens.menu('fqc').dynamic(async (ctx, range) => {
    for (const item of await inCategory(ctx)) {
      range
        .text(truncate(item.question[ctx.i18n.language], 60), async (c) => {
          c.session.faq = { ...c.session.faq, item: item.id };
          await screens.show(c, 'fqa');
        })
        .row();
    }
  });
  fqcMenu.text((ctx) => ctx.t('client.common.back'), screens.to('faq'));
  screens.add({
    id: 'fqc',
    menu: fqcMenu,
    text: (ctx) => ctx.t('client.faq.category', { category: categoryName(ctx, ctx.session.faq?.category ?? '') }),
  });

  const fqaMenu = screens
    .menu('fqa')
    .text((ctx) => ctx.t('client.faq.notHelped'), screens.to('sup'))
    .row()
    .text((ctx) => ctx.t('client.common.back'), screens.to('fqc'))
    .text((ctx) => ctx.t('client.common.mainMenu'), screens.to('m'));
  screens.add({
    id: 'fqa',
    menu: fqaMenu,
    text: async (ctx) => {
      const item = await current(ctx);
      if (!item) return ctx.t('client.faq.gone');
      const lng = ctx.i18n.language;
      const answer = await fillFaqAnswer(ctx, deps, item.answer[lng]);
      return ctx.t('client.faq.answer', { question: item.question[lng], answer: truncate(answer, ANSWER_MAX) });
    },
  });

  const composer = new Composer<ClientContext>();
  composer.command('faq', screens.to('faq'));
  return composer;
}
