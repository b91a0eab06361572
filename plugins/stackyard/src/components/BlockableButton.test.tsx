import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { BlockableButton } from './BlockableButton';

/**
 * A style property as the page's style sheets set it for the element's
 * classes: the most specific rule wins, then the later one (jsdom computes
 * no cascade for class rules).
 */
function declared(element: HTMLElement, property: 'backgroundColor' | 'color') {
  let best: { specificity: number; value: string } | undefined;
  for (const sheet of Array.from(document.styleSheets)) {
    for (const rule of Array.from(sheet.cssRules)) {
      if (!(rule instanceof CSSStyleRule) || !rule.style[property]) continue;
      for (const selector of rule.selectorText.split(',')) {
        const classes = selector.trim().match(/^(\.[\w-]+)+$/)
          ? selector.trim().slice(1).split('.')
          : [];
        if (
          classes.length === 0 ||
          !classes.every(c => element.classList.contains(c))
        ) {
          continue;
        }
        if (!best || classes.length >= best.specificity) {
          best = { specificity: classes.length, value: rule.style[property] };
        }
      }
    }
  }
  return best?.value;
}

describe('BlockableButton', () => {
  it('says why it is blocked, sends no click, and drops a contained fill', async () => {
    const onClick = jest.fn();
    await renderInTestApp(
      <>
        <BlockableButton variant="contained" color="primary" onClick={onClick}>
          Usable
        </BlockableButton>
        <BlockableButton
          variant="contained"
          color="primary"
          onClick={onClick}
          reason="Only approvers may approve"
        >
          Blocked
        </BlockableButton>
      </>,
    );
    const usable = screen.getByRole('button', { name: 'Usable' });
    const blocked = screen.getByRole('button', { name: 'Blocked' });
    expect(blocked).toHaveAttribute('aria-disabled', 'true');
    expect(blocked).toHaveAccessibleDescription('Only approvers may approve');
    blocked.click();
    expect(onClick).not.toHaveBeenCalled();
    expect(declared(blocked, 'backgroundColor')).toBe('rgba(0, 0, 0, 0.12)');
    expect(declared(blocked, 'color')).toBe('rgba(0, 0, 0, 0.26)');
    expect(declared(usable, 'backgroundColor')).not.toBe(
      declared(blocked, 'backgroundColor'),
    );
    usable.click();
    expect(onClick).toHaveBeenCalledTimes(1);
  });
});
