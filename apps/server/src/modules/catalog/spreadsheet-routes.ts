import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { callerOf } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { exportItems, importItems, XLSX_MIME } from './spreadsheet';

const MAX_WORKBOOK_BYTES = 10 * 1024 * 1024;

/** Export and import of the implementation-list workbook (事项实施清单). */
export function catalogSpreadsheetRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Its own scope, so the raw xlsx body parser and its larger limit apply to these routes only.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      XLSX_MIME,
      { parseAs: 'buffer', bodyLimit: MAX_WORKBOOK_BYTES },
      (_req, body, done) =>
        // Wrapped so request hygiene (which walks the body's enumerable values) does not walk every byte.
        done(null, new WorkbookUpload(body as Buffer)),
    );
    const tags = ['catalog'];

    scope.get('/api/v1/catalog/export.xlsx', {
      schema: { tags, summary: '导出事项实施清单 (export the items in your scope as xlsx)' },
      config: { access: 'catalog:read' },
      handler: async (req, reply) => {
        const roots = callerOf(req).actor?.scopes.get('catalog:read') ?? [];
        const buffer = await exportItems(ctx, { scopeRoots: roots });
        return reply
          .type(XLSX_MIME)
          .header('content-disposition', `attachment; filename="catalog-items.xlsx"`)
          .send(buffer);
      },
    });

    scope.post('/api/v1/catalog/import', {
      schema: {
        tags,
        summary: '导入事项实施清单（xlsx 原始字节）(import items from an xlsx body); 报告被拒绝的行',
        querystring: z.strictObject({ publish: z.enum(['true', 'false']).optional() }),
      },
      config: { access: 'catalog:edit-service' },
      handler: async (req) => {
        if (!(req.body instanceof WorkbookUpload)) {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            415,
            '请以 xlsx 文件内容作为请求体上传',
            `请求头 Content-Type 应为 ${XLSX_MIME}`,
          );
        }
        // Four eyes: whoever imports an item created it, so someone else reviews and publishes it.
        // Publishing at once is a bulk load by the system actor (the CLI), never a person's import.
        if ((req.query as { publish?: string }).publish === 'true')
          throw new AppError(
            'FOUR_EYES',
            409,
            '导入的事项须由其他审核人员审核发布，导入时不能直接发布',
            '请导入为草稿并提交审核；需整批直接发布时，由运维人员在服务器命令行导入',
          );
        return importItems(ctx, callerOf(req), req.body.bytes);
      },
    });
  });
}

class WorkbookUpload {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}
