import { emptyFilterForm, filtersOf, sameFilters } from './platformFilters';

describe('filtersOf', () => {
  it('asks for everything when the form is empty', () => {
    expect(filtersOf(emptyFilterForm)).toEqual({});
  });

  it('trims text, leaves out blank fields and converts hours', () => {
    expect(
      filtersOf({
        ...emptyFilterForm,
        target: '  sandbox ',
        stage: '   ',
        status: 'failed',
        templateName: 'serverless-service',
        costCenter: ' CC-42',
        expiringWithinHours: '24',
      }),
    ).toEqual({
      target: 'sandbox',
      status: 'failed',
      templateName: 'serverless-service',
      costCenter: 'CC-42',
      expiringWithinHours: 24,
    });
  });

  it('sends the switches only when on', () => {
    expect(
      filtersOf({ ...emptyFilterForm, entityMissing: true, drifted: false }),
    ).toEqual({ entityMissing: true });
  });
});

describe('sameFilters', () => {
  it('compares by value, whatever the key order', () => {
    expect(
      sameFilters({ target: 'a', stage: 'dev' }, { stage: 'dev', target: 'a' }),
    ).toBe(true);
    expect(sameFilters({ target: 'a' }, { target: 'a', stage: 'dev' })).toBe(
      false,
    );
    expect(sameFilters({}, {})).toBe(true);
  });
});
