export {
  HOURS_PER_MONTH,
  PRICED_RESOURCE_TYPES,
  fixedCostUsage,
} from './fixedCostUsage';
export type {
  FixedCostUsage,
  PriceQuery,
  TemplateUsage,
} from './fixedCostUsage';
export {
  MAX_PRICE_LIST_PAGES,
  findUnitPrice,
  pickUnitPrice,
  priceQueryKey,
} from './priceList';
export type { GetProducts, GetProductsPage, UnitPrice } from './priceList';
export { estimateFixedCost, formatEstimate } from './estimateFixedCost';
export type { PriceLookup } from './estimateFixedCost';
