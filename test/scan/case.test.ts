import { describe, expect, it } from 'vitest';
import { nameForms, tableCandidates, toCamel, toPascal, toSnake } from '../../src/names/case.js';

describe('case conversion', () => {
  it('converts between snake, camel and Pascal case', () => {
    expect(toCamel('soul_md')).toBe('soulMd');
    expect(toPascal('retry_delay_seconds')).toBe('RetryDelaySeconds');
    expect(toSnake('createdAt')).toBe('created_at');
    expect(toSnake('userID')).toBe('user_id');
    expect(toSnake('addressLine1', { underscoreBeforeDigits: true })).toBe('address_line_1');
  });

  it('lists every spelling code may use for a column', () => {
    expect(nameForms('soul_md')).toEqual(['soul_md', 'soulMd', 'SoulMd']);
    expect(nameForms('address_line_1')).toContain('addressLine1');
    expect(nameForms('createdAt')).toEqual(['createdAt', 'created_at']);
    expect(nameForms('email')).toEqual(['email']);
  });

  it('names the tables a model may map to with the plural ORMs use', () => {
    // Irregular English plurals come out as Sequelize (inflection) makes them, not `Quizes`/`Persons` only.
    expect(tableCandidates('Quiz')).toEqual(expect.arrayContaining(['Quizzes', 'quizzes', 'quiz']));
    expect(tableCandidates('Quiz')).not.toContain('Quizes');
    expect(tableCandidates('Person')).toEqual(expect.arrayContaining(['People', 'people', 'persons']));
    expect(tableCandidates('QuizStatus')).toEqual(expect.arrayContaining(['quiz_statuses', 'QuizStatuses', 'quiz_status']));
    expect(tableCandidates('Category')).toContain('categories');
    // Uncountable words stay as they are.
    expect(tableCandidates('media')).toContain('media');
  });
});
