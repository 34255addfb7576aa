/* The MSDK stand-ins' definitions for the hardware-image harness (see mxc.h). Register blocks start as the
 * hardware leaves them after reset where generated code waits on them: the oscillators and the PLL report ready. */
#include "mxc.h"

mxc_gcr_regs_t ai8x_standin_gcr = {
  .ipll_ctrl = MXC_F_GCR_IPLL_CTRL_RDY,
  .ito_ctrl = MXC_F_GCR_ITO_CTRL_RDY,
  .clkctrl = MXC_F_GCR_CLKCTRL_IPO_RDY,
  .clkcn = MXC_F_GCR_CLKCN_HIRC96M_RDY,
};
mxc_gcfr_regs_t ai8x_standin_gcfr;
mxc_sema_regs_t ai8x_standin_sema;
mxc_fcr_regs_t ai8x_standin_fcr;
mxc_pwrseq_regs_t ai8x_standin_pwrseq;
mxc_gpio_regs_t ai8x_standin_gpio[4];
mxc_tmr_regs_t ai8x_standin_tmr[6];
mxc_icc_regs_t ai8x_standin_icc[2];
uint32_t SystemCoreClock = 100000000u;
volatile void const *__FlashStart_;

void SystemCoreClockUpdate(void) {}
int MXC_SYS_Clock_Select(mxc_sys_system_clock_t clock) { (void) clock; return E_NO_ERROR; }
int MXC_SYS_ClockSourceEnable(mxc_sys_system_clock_t clock) { (void) clock; return E_NO_ERROR; }
void MXC_SYS_ClockEnable(mxc_sys_periph_clock_t clock) { (void) clock; }
void MXC_SYS_ClockDisable(mxc_sys_periph_clock_t clock) { (void) clock; }
void MXC_SYS_Reset_Periph(int reset) { (void) reset; }
int MXC_NVIC_SetVector(IRQn_Type irq, void (*handler)(void)) { (void) irq; (void) handler; return E_NO_ERROR; }
void NVIC_SetVector(IRQn_Type irq, uint32_t handler) { (void) irq; (void) handler; }
void NVIC_EnableIRQ(IRQn_Type irq) { (void) irq; }
void NVIC_DisableIRQ(IRQn_Type irq) { (void) irq; }
void NVIC_ClearPendingIRQ(IRQn_Type irq) { (void) irq; }
void NVIC_EnableEVENT(IRQn_Type irq) { (void) irq; }
void NVIC_DisableEVENT(IRQn_Type irq) { (void) irq; }
void NVIC_ClearPendingEVENT(IRQn_Type irq) { (void) irq; }
void __enable_irq(void) {}
void __disable_irq(void) {}
void __WFI(void) {}
void __NOP(void) {}
int MXC_GPIO_Config(const mxc_gpio_cfg_t *cfg) { (void) cfg; return E_NO_ERROR; }
void MXC_GPIO_OutSet(mxc_gpio_regs_t *port, uint32_t mask) { port->out |= mask; }
void MXC_GPIO_OutClr(mxc_gpio_regs_t *port, uint32_t mask) { port->out &= ~mask; }
void MXC_GPIO_OutToggle(mxc_gpio_regs_t *port, uint32_t mask) { port->out ^= mask; }
void MXC_ICC_Enable(mxc_icc_regs_t *icc) { (void) icc; }
void MXC_ICC_Disable(mxc_icc_regs_t *icc) { (void) icc; }
int MXC_Delay(uint32_t microseconds) { (void) microseconds; return E_NO_ERROR; }
void MXC_TMR_SW_Start(mxc_tmr_regs_t *tmr) { (void) tmr; }
uint32_t MXC_TMR_SW_Stop(mxc_tmr_regs_t *tmr) { (void) tmr; return 1; }
void MXC_TMR_Delay(mxc_tmr_regs_t *tmr, uint32_t microseconds) { (void) tmr; (void) microseconds; }
void MXC_LP_EnterSleepMode(void) {}
void MXC_LP_EnterLowPowerMode(void) {}
void MXC_LP_EnterDeepSleepMode(void) {}
void LED_On(unsigned int led) { (void) led; }
void LED_Off(unsigned int led) { (void) led; }
void LED_Toggle(unsigned int led) { (void) led; }
int Console_Init(void) { return E_NO_ERROR; }
