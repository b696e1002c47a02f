/**
 * VMR package ids (`typeId` of VMR resources, `vmrPkgId` of rooms) known to the simulator: the documented
 * China-site ids used by the demo data, with their names and party counts.
 */
export const VMR_PACKAGES: Readonly<Record<string, { name: string; parties: number }>> = {
  ff808081699b56d40169c410d5080179: { name: 'vmr10', parties: 10 },
  ff808081699b56d40169c4111fe5017a: { name: 'vmr25', parties: 25 },
  ff808081699b56cb0169c411a0980152: { name: 'vmr50', parties: 50 },
  ff808081699b56cb0169c41167850151: { name: 'vmr100', parties: 100 },
};
