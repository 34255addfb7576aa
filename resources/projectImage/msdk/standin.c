/* The MSDK stand-ins' definitions for the hardware-image harness (see mxc.h). Register blocks start as the
 * hardware leaves them after reset where generated code waits on them: the oscillators and the PLL report ready.
 * Every library call is reported to the harness, which keeps the sequence when it runs the project's main();
 * sleeping and waiting for an interrupt let the harness finish a started inference. */
#include <stdarg.h>
#include "mxc.h"

/* Provided by harness.c. */
void ai8x_image_msdk_call(const char *format, ...) __attribute__((format(printf, 1, 2)));
void ai8x_image_set_vector(int irq, void (*handler)(void));
void ai8x_image_wait_for_interrupt(void);

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

/* Which of the stand-in instances a pointer names, for the call log (-1: not one of them). */
static int gpio_index(const mxc_gpio_regs_t *p) { return p >= ai8x_standin_gpio && p < ai8x_standin_gpio + 4 ? (int) (p - ai8x_standin_gpio) : -1; }
static int tmr_index(const mxc_tmr_regs_t *p) { return p >= ai8x_standin_tmr && p < ai8x_standin_tmr + 6 ? (int) (p - ai8x_standin_tmr) : -1; }
static int icc_index(const mxc_icc_regs_t *p) { return p >= ai8x_standin_icc && p < ai8x_standin_icc + 2 ? (int) (p - ai8x_standin_icc) : -1; }

void SystemCoreClockUpdate(void) { ai8x_image_msdk_call("SystemCoreClockUpdate"); }
int MXC_SYS_Clock_Select(mxc_sys_system_clock_t clock) { ai8x_image_msdk_call("MXC_SYS_Clock_Select %d", (int) clock); return E_NO_ERROR; }
int MXC_SYS_ClockSourceEnable(mxc_sys_system_clock_t clock) { ai8x_image_msdk_call("MXC_SYS_ClockSourceEnable %d", (int) clock); return E_NO_ERROR; }
void MXC_SYS_ClockEnable(mxc_sys_periph_clock_t clock) { ai8x_image_msdk_call("MXC_SYS_ClockEnable %d", (int) clock); }
void MXC_SYS_ClockDisable(mxc_sys_periph_clock_t clock) { ai8x_image_msdk_call("MXC_SYS_ClockDisable %d", (int) clock); }
void MXC_SYS_Reset_Periph(int reset) { ai8x_image_msdk_call("MXC_SYS_Reset_Periph %d", reset); }
int MXC_NVIC_SetVector(IRQn_Type irq, void (*handler)(void))
{
  ai8x_image_msdk_call("MXC_NVIC_SetVector %d", (int) irq);
  ai8x_image_set_vector((int) irq, handler);
  return E_NO_ERROR;
}
void NVIC_SetVector(IRQn_Type irq, uint32_t handler)
{
  ai8x_image_msdk_call("NVIC_SetVector %d", (int) irq);
  ai8x_image_set_vector((int) irq, (void (*)(void)) (uintptr_t) handler);
}
void NVIC_EnableIRQ(IRQn_Type irq) { ai8x_image_msdk_call("NVIC_EnableIRQ %d", (int) irq); }
void NVIC_DisableIRQ(IRQn_Type irq) { ai8x_image_msdk_call("NVIC_DisableIRQ %d", (int) irq); }
void NVIC_ClearPendingIRQ(IRQn_Type irq) { ai8x_image_msdk_call("NVIC_ClearPendingIRQ %d", (int) irq); }
void NVIC_EnableEVENT(IRQn_Type irq) { ai8x_image_msdk_call("NVIC_EnableEVENT %d", (int) irq); }
void NVIC_DisableEVENT(IRQn_Type irq) { ai8x_image_msdk_call("NVIC_DisableEVENT %d", (int) irq); }
void NVIC_ClearPendingEVENT(IRQn_Type irq) { ai8x_image_msdk_call("NVIC_ClearPendingEVENT %d", (int) irq); }
void __enable_irq(void) { ai8x_image_msdk_call("__enable_irq"); }
void __disable_irq(void) { ai8x_image_msdk_call("__disable_irq"); }
void __WFI(void)
{
  ai8x_image_msdk_call("__WFI");
  ai8x_image_wait_for_interrupt();
}
void __NOP(void) {}
/* Generated code sets a configuration's port, mask, function and pad only; the rest is whatever was on the stack. */
int MXC_GPIO_Config(const mxc_gpio_cfg_t *cfg)
{
  ai8x_image_msdk_call("MXC_GPIO_Config port %d mask 0x%x func %d pad %d", gpio_index(cfg->port), (unsigned) cfg->mask, (int) cfg->func, (int) cfg->pad);
  return E_NO_ERROR;
}
void MXC_GPIO_OutSet(mxc_gpio_regs_t *port, uint32_t mask)
{
  ai8x_image_msdk_call("MXC_GPIO_OutSet port %d mask 0x%x", gpio_index(port), (unsigned) mask);
  port->out |= mask;
}
void MXC_GPIO_OutClr(mxc_gpio_regs_t *port, uint32_t mask)
{
  ai8x_image_msdk_call("MXC_GPIO_OutClr port %d mask 0x%x", gpio_index(port), (unsigned) mask);
  port->out &= ~mask;
}
void MXC_GPIO_OutToggle(mxc_gpio_regs_t *port, uint32_t mask)
{
  ai8x_image_msdk_call("MXC_GPIO_OutToggle port %d mask 0x%x", gpio_index(port), (unsigned) mask);
  port->out ^= mask;
}
void MXC_ICC_Enable(mxc_icc_regs_t *icc) { ai8x_image_msdk_call("MXC_ICC_Enable %d", icc_index(icc)); }
void MXC_ICC_Disable(mxc_icc_regs_t *icc) { ai8x_image_msdk_call("MXC_ICC_Disable %d", icc_index(icc)); }
int MXC_Delay(uint32_t microseconds)
{
  ai8x_image_msdk_call("MXC_Delay %u", (unsigned) microseconds);
  return E_NO_ERROR;
}
void MXC_TMR_SW_Start(mxc_tmr_regs_t *tmr) { ai8x_image_msdk_call("MXC_TMR_SW_Start %d", tmr_index(tmr)); }
uint32_t MXC_TMR_SW_Stop(mxc_tmr_regs_t *tmr)
{
  ai8x_image_msdk_call("MXC_TMR_SW_Stop %d", tmr_index(tmr));
  return 1;
}
void MXC_TMR_Delay(mxc_tmr_regs_t *tmr, uint32_t microseconds) { ai8x_image_msdk_call("MXC_TMR_Delay %d %u", tmr_index(tmr), (unsigned) microseconds); }
void MXC_LP_EnterSleepMode(void)
{
  ai8x_image_msdk_call("MXC_LP_EnterSleepMode");
  ai8x_image_wait_for_interrupt();
}
void MXC_LP_EnterLowPowerMode(void)
{
  ai8x_image_msdk_call("MXC_LP_EnterLowPowerMode");
  ai8x_image_wait_for_interrupt();
}
void MXC_LP_EnterDeepSleepMode(void)
{
  ai8x_image_msdk_call("MXC_LP_EnterDeepSleepMode");
  ai8x_image_wait_for_interrupt();
}
void LED_On(unsigned int led) { ai8x_image_msdk_call("LED_On %u", led); }
void LED_Off(unsigned int led) { ai8x_image_msdk_call("LED_Off %u", led); }
void arm_softmax_q7_q15(const q7_t *vec_in, const uint16_t dim_vec, q15_t *p_out)
{
  (void) vec_in;
  (void) p_out;
  ai8x_image_msdk_call("arm_softmax_q7_q15 %u", (unsigned) dim_vec);
}
void LED_Toggle(unsigned int led) { ai8x_image_msdk_call("LED_Toggle %u", led); }
int Console_Init(void)
{
  ai8x_image_msdk_call("Console_Init");
  return E_NO_ERROR;
}
void Debug_Init(void) { ai8x_image_msdk_call("Debug_Init"); }

/* softmax.c's functions, for projects whose softmax.c is not beside them: main's softmax_layer() calls one. What
 * they compute only reaches printf, which the harness does not compare. */
__attribute__((weak)) void softmax_q17p14_q15(const int32_t *in, uint16_t n, int16_t *out)
{
  for (uint16_t i = 0; i < n; i++) out[i] = (int16_t) (in[i] >> 16);
}
__attribute__((weak)) void softmax_shift_q17p14_q15(int32_t *in, uint16_t n, uint8_t shift, int16_t *out)
{
  (void) shift;
  softmax_q17p14_q15(in, n, out);
}
