import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';

/**
 * multipart/form-data for file uploads (partner files, suppression lists). Routes stream the file
 * with `request.file()`; limits refuse oversize files and extra parts before they are read.
 */
export default fp(async (app) => {
  await app.register(multipart, {
    limits: {
      fileSize: app.config.UPLOAD_MAX_MB * 1024 * 1024,
      files: 1,
      fields: 10,
      fieldSize: 64 * 1024,
      parts: 20,
      headerPairs: 100,
    },
  });
}, { name: 'multipart' });
