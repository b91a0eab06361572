import { render, screen } from '@testing-library/react';
import { StatusBadge } from './StatusBadge';

describe('StatusBadge', () => {
  it.each([
    ['ready', 'Ready'],
    ['failed', 'Failed'],
    ['deploying', 'Deploying'],
    ['deleting', 'Deleting'],
    ['deleted', 'Deleted'],
  ] as const)('says %s in words', (status, label) => {
    render(<StatusBadge status={status} />);
    expect(screen.getByTestId('environment-status')).toHaveTextContent(label);
  });
});
